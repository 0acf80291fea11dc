"""The city's admin in one place: catalogue, API keys, points and groups in Wagtail.

Staff who edit pages also manage services, departments, API keys, points
rules, campaigns and neighborhood groups here, under two menus ("City" and
"Points"). Every viewset honours Django model permissions: a person sees a
menu item only with a permission on its model (superusers see all). Writes
that have rules go through the owning app's services, as everywhere else.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.models import User
from engagement.models import ApiKey, Department, Service
from engagement.open311.services import revoke_api_key, save_with_new_key
from neighborhoods.groups import remove_member, set_role
from neighborhoods.models import GroupMembership, GroupRole, NeighborhoodGroup
from points.models import BadgeAward, Campaign, PointsRule


class RefusingPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, minus actions nobody may take here."""

    def __init__(self, model, *, refused: set[str]):
        super().__init__(model)
        self.refused = refused

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(
            user, [a for a in actions if a not in self.refused]
        )


# Registered before any viewset asks for a policy (Wagtail requires it).
# Badges are earned, never typed in: staff may look, not edit.
register_permission_policy(
    BadgeAward,
    RefusingPermissionPolicy(BadgeAward, refused={"add", "change", "delete"}),
)
# Every neighborhood has exactly one group, made with the neighborhood:
# staff edit a group's name and description, never add or delete one.
register_permission_policy(
    NeighborhoodGroup,
    RefusingPermissionPolicy(NeighborhoodGroup, refused={"add", "delete"}),
)


# --- City ------------------------------------------------------------------


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = "Departments"
    list_display = ["name", "code", "email", "phone"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "email", "phone", "web_link"]
    copy_view_enabled = False


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "list-ul"
    menu_label = "Services"
    list_display = ["name", "service_code", "group", "department", "active"]
    list_filter = ["active", "group", "department"]
    search_fields = ["name", "service_code", "keywords"]
    form_fields = [
        "service_code",
        "name",
        "description",
        "group",
        "keywords",
        "department",
        "type",
        "expected_days",
        "active",
        "sensitive",
        "duplicate_radius_m",
    ]
    copy_view_enabled = False


class ApiKeyAddForm(WagtailAdminModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "trusted"]


class ApiKeyEditForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        required=False,
        label="Revoke this key",
        help_text="The client's requests stop working at once. This cannot be "
        "undone: issue a new key instead.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "trusted"]


class ApiKeyCreateView(generic.CreateView):
    def save_instance(self):
        # One way to make a key (as ``create_api_key`` and the Django admin):
        # only its hash is stored, so this is the one time it can be shown.
        api_key = self.form.instance
        api_key.created_by = self.request.user
        raw = save_with_new_key(api_key=api_key)
        messages.warning(
            self.request,
            f"The new key for {api_key.name} is {raw} — copy it now: it is not "
            "stored and cannot be shown again.",
        )
        return api_key


class ApiKeyEditView(generic.EditView):
    def save_instance(self):
        api_key = self.form.save()
        if self.form.cleaned_data.get("revoke"):
            revoke_api_key(api_key=api_key)
        return api_key


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = "API keys"
    add_view_class = ApiKeyCreateView
    edit_view_class = ApiKeyEditView
    list_display = ["name", "prefix", "trusted", "created", "last_used", "revoked_at"]
    list_filter = ["trusted"]
    search_fields = ["name", "prefix"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ApiKeyEditForm if for_update else ApiKeyAddForm


class NeighborhoodGroupViewSet(ModelViewSet):
    model = NeighborhoodGroup
    icon = "group"
    menu_label = "Neighborhood groups"
    list_display = [
        "name",
        "neighborhood",
        Column("organizer_count", label="Organizers"),
        Column("member_count", label="Members"),
    ]
    search_fields = ["name", "neighborhood__name"]
    form_fields = ["name", "description"]
    copy_view_enabled = False

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return NeighborhoodGroup.objects.select_related("neighborhood").annotate(
            organizer_count=Count(
                "memberships", filter=Q(memberships__role=GroupRole.ORGANIZER)
            ),
            member_count=Count("memberships"),
        )


class MembershipAddForm(WagtailAdminModelForm):
    email = forms.EmailField(
        label="Email address of the person's account",
        help_text="They need a CivicPulse account. Someone already in the group "
        "gets the new role.",
    )

    class Meta:
        model = GroupMembership
        fields = ["group", "role"]

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None or user.is_deleted:
            raise ValidationError(
                "No account has this email address. Ask the person to sign up "
                "first, then appoint them."
            )
        return user

    def validate_unique(self):
        # An existing membership is updated by ``set_role``, not refused.
        pass


class MembershipEditForm(WagtailAdminModelForm):
    class Meta:
        model = GroupMembership
        fields = ["role"]
        help_texts = {
            "role": "Organizers edit this neighborhood's pages, create its "
            "events and moderate its discussions.",
        }


class MembershipCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return set_role(group=data["group"], user=data["email"], role=data["role"])


class MembershipEditView(generic.EditView):
    def save_instance(self):
        membership = self.object
        return set_role(
            group=membership.group,
            user=membership.user,
            role=self.form.cleaned_data["role"],
        )


class MembershipDeleteView(generic.DeleteView):
    def delete_action(self):
        remove_member(group=self.object.group, user=self.object.user)


class GroupMembershipViewSet(ModelViewSet):
    model = GroupMembership
    icon = "user"
    menu_label = "Group members and organizers"
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    # Staff need to tell people apart; this admin is not public output.
    list_display = [
        "user",
        Column("email", label="Email", accessor=lambda m: m.user.email),
        "group",
        "role",
        "joined",
    ]
    list_filter = ["role", "group"]
    search_fields = ["user__display_name", "user__email", "group__name"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return MembershipEditForm if for_update else MembershipAddForm

    def get_queryset(self, request):
        return GroupMembership.objects.select_related("user", "group")


class CityViewSetGroup(ViewSetGroup):
    menu_label = "City"
    menu_icon = "site"
    menu_order = 250
    items = (
        ServiceViewSet,
        DepartmentViewSet,
        ApiKeyViewSet,
        NeighborhoodGroupViewSet,
        GroupMembershipViewSet,
    )


# --- Points ----------------------------------------------------------------


class PointsRuleViewSet(ModelViewSet):
    model = PointsRule
    icon = "pick"
    menu_label = "Points rules"
    list_display = ["label", "reason", "points", "daily_cap", "active"]
    list_filter = ["active"]
    search_fields = ["label", "reason"]
    form_fields = ["label", "reason", "description", "points", "daily_cap", "active"]
    copy_view_enabled = False


class BadgeAwardViewSet(ModelViewSet):
    model = BadgeAward
    icon = "pick"
    menu_label = "Badges awarded"
    list_display = ["badge", "level", "user", "created"]
    list_filter = ["badge"]
    search_fields = ["badge", "user__display_name"]
    form_fields = ["badge", "level"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return BadgeAward.objects.select_related("user")


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campaigns"
    list_display = ["title", "starts", "ends", "individual_goal", "community_goal"]
    search_fields = ["title", "slug"]
    form_fields = [
        "title",
        "slug",
        "description",
        "starts",
        "ends",
        "reasons",
        "neighborhood_slugs",
        "individual_goal",
        "community_goal",
        "bonus",
    ]
    copy_view_enabled = False


class PointsViewSetGroup(ViewSetGroup):
    menu_label = "Points"
    menu_icon = "pick"
    menu_order = 260
    items = (PointsRuleViewSet, CampaignViewSet, BadgeAwardViewSet)


@hooks.register("register_admin_viewset")
def register_city_admin():
    return CityViewSetGroup()


@hooks.register("register_admin_viewset")
def register_points_admin():
    return PointsViewSetGroup()
