from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<int:page_id>/event.ics", views.ical, name="ical"),
    path("<int:page_id>/check-in/", views.check_in_roster, name="check_in"),
    path("shifts/<int:shift_id>/sign-up/", views.sign_up, name="sign_up"),
    path("shifts/<int:shift_id>/cancel/", views.cancel, name="cancel"),
    path("signups/<int:signup_id>/check-in/", views.check_in, name="check_in_person"),
    path(
        "signups/<int:signup_id>/undo-check-in/",
        views.undo_check_in,
        name="undo_check_in",
    ),
]
