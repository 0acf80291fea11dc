"""Forms for signing up and for the profile a person edits."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from .models import User


class SignupForm(AllauthSignupForm):
    """allauth's sign-up plus the public display name."""

    display_name = forms.CharField(
        max_length=60,
        required=False,
        help_text="Optional. Shown next to your reports and comments instead of "
        "your email, which is never shown.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "email"
        ].help_text = "We send a link to confirm it. It is never shown publicly."
        self.fields["password1"].help_text = (
            "At least 10 characters; not a common password, not all digits, "
            "not like your email."
        )

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.save(update_fields=["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    """Only what a person may change about themselves: no mass assignment."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "show_on_leaderboards",
            "public_profile",
            "email_updates",
        ]
        widgets = {"email_updates": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post, the choice stays as it is.
        self.fields["email_updates"].required = False

    def clean_email_updates(self) -> str | None:
        return self.cleaned_data.get("email_updates") or None


class DeleteAccountForm(forms.Form):
    """Asks for the password so a left-open session cannot delete an account."""

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
