"""Forms of planning discussions: write a comment, give a moderation reason."""

from django import forms

from .models import Comment, CommentModeration

COMMENT_MAX_LENGTH = Comment._meta.get_field("body").max_length
REASON_MAX_LENGTH = CommentModeration._meta.get_field("reason").max_length


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Plain text, up to {COMMENT_MAX_LENGTH} characters. Web "
        "addresses become links; formatting and HTML are shown as typed. You "
        "can edit your comment for 15 minutes after posting.",
        error_messages={"required": "Please write something before posting."},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. It is logged, and the author and other moderators see it.",
        error_messages={"required": "Please give a reason."},
    )
