"""City staff pages: the department queue and a request's staff view.

Views only parse input and call the workflow services; every permission is
decided from the person's memberships, never from ids a form sends.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from neighborhoods.selectors import list_neighborhoods

from ..models import ClosureReason, DetailedStatus, ServiceRequest
from ..selectors import staff as staff_selectors
from ..services import workflow

QUEUE_PAGE_SIZE = 25
STATUS_CHOICES = [
    (DetailedStatus.ACKNOWLEDGED, "Acknowledged"),
    (DetailedStatus.IN_PROGRESS, "In progress"),
    (DetailedStatus.CLOSED, "Closed"),
]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", choices=STATUS_CHOICES)
    closure_reason = forms.ChoiceField(
        label="Reason for closing",
        choices=[("", "(only when closing)"), *ClosureReason.choices],
        required=False,
    )
    duplicate_of = forms.CharField(
        label="Original request number (for a duplicate)",
        required=False,
        max_length=40,
    )
    note = forms.CharField(
        label="Public note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Residents read this. Left empty, the service's template is used.",
    )
    photo = forms.ImageField(
        label="Photo (required when closing as fixed)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


def _staff_only(request: HttpRequest) -> None:
    if not staff_selectors.is_staff_member(user=request.user):
        raise PermissionDenied("This page is for city staff.")


def _request_or_404(public_id: str) -> ServiceRequest:
    found = staff_selectors.staff_request(public_id=public_id)
    if found is None:
        raise Http404("No such request")
    return found


def _filters(request: HttpRequest) -> staff_selectors.QueueFilters:
    params = request.GET
    return staff_selectors.QueueFilters(
        service=params.get("service", "")[:64],
        neighborhood=params.get("neighborhood", "")[:200],
        status=params.get("status", ""),
        overdue=params.get("overdue") == "1",
        reopened=params.get("reopened") == "1",
        sort=params.get("sort", staff_selectors.DEFAULT_QUEUE_SORT),
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    filters = _filters(request)
    paginator = Paginator(
        staff_selectors.staff_queue(user=request.user, filters=filters),
        QUEUE_PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/staff/queue.html",
        {
            "page_obj": page,
            "filters": filters,
            "query": query.urlencode(),
            "services": staff_selectors.queue_services(user=request.user),
            "neighborhoods": list_neighborhoods(),
            "statuses": DetailedStatus.choices[:3],
            "sorts": [(k, v[0]) for k, v in staff_selectors.QUEUE_SORTS.items()],
            "workers": staff_selectors.assignable_by(user=request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Acknowledge, claim or assign the ticked requests, all or nothing."""
    _staff_only(request)
    ids = request.POST.getlist("requests")[: QUEUE_PAGE_SIZE * 4]
    chosen = list(
        ServiceRequest.objects.select_related("service").filter(public_id__in=ids)
    )
    action = request.POST.get("action")
    back = reverse("engagement:staff_queue") + "?" + request.POST.get("query", "")
    if not chosen:
        messages.error(request, "Please tick at least one request.")
        return redirect(back)
    try:
        if action == "acknowledge":
            done = workflow.bulk_acknowledge(actor=request.user, requests=chosen)
            messages.success(request, f"{done} request(s) acknowledged.")
        elif action in ("claim", "assign"):
            assignee = request.user if action == "claim" else _assignee(request)
            done = workflow.bulk_assign(
                actor=request.user, requests=chosen, assignee=assignee
            )
            messages.success(request, f"{done} request(s) assigned.")
        else:
            messages.error(request, "Please choose what to do.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


def _assignee(request: HttpRequest) -> User | None:
    raw = request.POST.get("assignee", "")
    if raw in ("", "none"):
        return None
    if not raw.isdigit():
        raise ValidationError("Please choose a person.")
    found = User.objects.filter(pk=int(raw)).first()
    if found is None:
        raise ValidationError("That person does not work in this department.")
    return found


def _detail_context(request: HttpRequest, sr: ServiceRequest, form=None) -> dict:
    return {
        "sr": sr,
        "form": form or StatusForm(),
        "updates": list(sr.updates.all()),
        "photos": list(sr.photos.all()),
        "workers": staff_selectors.department_workers(
            department_id=sr.service.department_id
        ),
        "can_assign_others": staff_selectors.can_assign_others(
            user=request.user, request=sr
        ),
        "disputes": staff_selectors.fix_panel(user=request.user, request=sr)[
            "fix_disputes"
        ],
    }


@login_required
def request_staff_view(request: HttpRequest, public_id: str) -> HttpResponse:
    sr = _request_or_404(public_id)
    if not staff_selectors.can_work_on(user=request.user, request=sr):
        raise PermissionDenied("This request belongs to another department.")
    return render(
        request, "engagement/staff/request.html", _detail_context(request, sr)
    )


@login_required
@require_POST
def change_status(request: HttpRequest, public_id: str) -> HttpResponse:
    sr = _request_or_404(public_id)
    if not staff_selectors.can_work_on(user=request.user, request=sr):
        raise PermissionDenied("This request belongs to another department.")
    form = StatusForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        duplicate_of = None
        if data["duplicate_of"]:
            duplicate_of = ServiceRequest.objects.filter(
                public_id=data["duplicate_of"].strip().upper()
            ).first()
            if duplicate_of is None:
                form.add_error("duplicate_of", "There is no request with that number.")
        if form.is_valid():
            try:
                workflow.change_request_status(
                    actor=request.user,
                    request=sr,
                    to_status=data["to_status"],
                    note=data["note"],
                    photo=request.FILES.get("photo"),
                    closure_reason=data["closure_reason"],
                    duplicate_of=duplicate_of,
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"{sr.public_id} is now {sr.get_detailed_status_display()}.",
                )
                return redirect("engagement:staff_request", public_id=sr.public_id)
    sr = _request_or_404(public_id)
    return render(
        request,
        "engagement/staff/request.html",
        _detail_context(request, sr, form),
        status=400,
    )


@login_required
@require_POST
def assign(request: HttpRequest, public_id: str) -> HttpResponse:
    sr = _request_or_404(public_id)
    try:
        assignee = (
            request.user if request.POST.get("assignee") == "me" else _assignee(request)
        )
        workflow.assign_request(actor=request.user, request=sr, assignee=assignee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Assigned to {assignee.public_name}." if assignee else "Unassigned.",
        )
    return redirect("engagement:staff_request", public_id=sr.public_id)


class ResponseTemplateForm(forms.Form):
    service = forms.ModelChoiceField(label="Service", queryset=None)
    detailed_status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES)
    text = forms.CharField(
        label="Public note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty to remove the template.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the lead's own services: a forged id is an invalid choice.
        self.fields["service"].queryset = staff_selectors.services_led_by(user=user)


@login_required
def response_templates(request: HttpRequest) -> HttpResponse:
    """Leads keep the public notes offered for each service and status."""
    _staff_only(request)
    form = ResponseTemplateForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.save_response_template(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.success(request, "The response template is saved.")
                return redirect("engagement:staff_templates")
        status = 400
    return render(
        request,
        "engagement/staff/templates.html",
        {
            "form": form,
            "templates": staff_selectors.response_templates_for(user=request.user),
            # Decided here, not in the template: templates run no queries.
            "may_edit": form.fields["service"].queryset.exists(),
        },
        status=status,
    )
