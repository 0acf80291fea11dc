"""Residents answer "Is it fixed?" on a request closed as fixed."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ServiceRequest
from ..selectors.requests import request_for_page
from ..services import workflow


class DisputeForm(forms.Form):
    note = forms.CharField(
        label="What is still wrong?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.ImageField(
        label="Photo (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


def _get_or_404(public_id: str) -> ServiceRequest:
    found = request_for_page(public_id=public_id)
    if found is None:
        raise Http404("No such request")
    return found


@login_required
@require_POST
def confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    sr = _get_or_404(public_id)
    try:
        workflow.confirm_fix(user=request.user, request=sr)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you: the fix is confirmed.")
    return redirect(sr.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request: HttpRequest, public_id: str) -> HttpResponse:
    sr = _get_or_404(public_id)
    form = DisputeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.dispute_fix(
                    user=request.user,
                    request=sr,
                    note=form.cleaned_data["note"],
                    photo=request.FILES.get("photo"),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.message_dict.items():
                        form.add_error(key if key in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    "Thank you: the request is reopened and back with the city.",
                )
                return redirect(sr.get_absolute_url())
        status = 400
    return render(
        request,
        "engagement/verification/dispute.html",
        {"sr": sr, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From an email: GET asks, POST unfollows (mail scanners only GET)."""
    if request.method == "POST":
        sr = workflow.unsubscribe_by_token(token=token)
        if sr is None:
            raise Http404("This link is not valid.")
        messages.success(request, "You will no longer hear about this request.")
        return redirect(sr.get_absolute_url())
    return render(request, "engagement/verification/unsubscribe.html", {"token": token})
