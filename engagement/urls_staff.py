"""Staff queue and workflow pages, and residents' answers to "Is it fixed?"."""

from django.urls import path

from .views import staff, verification

urlpatterns = [
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/bulk/", staff.bulk, name="staff_bulk"),
    path("staff/templates/", staff.response_templates, name="staff_templates"),
    path(
        "staff/requests/<str:public_id>/",
        staff.request_staff_view,
        name="staff_request",
    ),
    path(
        "staff/requests/<str:public_id>/status/",
        staff.change_status,
        name="staff_change_status",
    ),
    path(
        "staff/requests/<str:public_id>/assign/",
        staff.assign,
        name="staff_assign",
    ),
    path(
        "requests/<str:public_id>/fixed/",
        verification.confirm,
        name="confirm_fix",
    ),
    path(
        "requests/<str:public_id>/not-fixed/",
        verification.dispute,
        name="dispute_fix",
    ),
    path(
        "unsubscribe/<str:token>/",
        verification.unsubscribe,
        name="unsubscribe",
    ),
]
