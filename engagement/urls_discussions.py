"""Planning discussions, their moderation, and quick polls; included in the
``engagement`` namespace by ``engagement.urls``."""

from django.urls import path

from .views import discussions, polls

urlpatterns = [
    path(
        "discussions/<int:page_id>/",
        discussions.discussion_page,
        name="discussion",
    ),
    path(
        "discussions/<int:page_id>/comments/",
        discussions.comment_post,
        name="comment_post",
    ),
    path(
        "discussions/comments/<int:comment_id>/edit/",
        discussions.comment_edit,
        name="comment_edit",
    ),
    path(
        "discussions/comments/<int:comment_id>/flag/",
        discussions.comment_flag,
        name="comment_flag",
    ),
    path(
        "discussions/comments/<int:comment_id>/hide/",
        discussions.comment_hide,
        name="comment_hide",
    ),
    path(
        "discussions/comments/<int:comment_id>/restore/",
        discussions.comment_restore,
        name="comment_restore",
    ),
    path(
        "discussions/comments/<int:comment_id>/official/",
        discussions.comment_official,
        name="comment_official",
    ),
    path("moderation/", discussions.moderation_queue, name="moderation_queue"),
    path("polls/<int:poll_id>/vote/", polls.poll_vote, name="poll_vote"),
]
