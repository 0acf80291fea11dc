from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("leaderboards", views.leaderboards, name="leaderboards"),
    path("leaderboards/how-points-work", views.how_points_work, name="how"),
    path("profile/points", views.profile_points, name="profile"),
    path("campaigns/<slug:slug>", views.campaign, name="campaign"),
    path("staff/points/review", views.staff_review, name="staff_review"),
]
