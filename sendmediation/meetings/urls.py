"""Staff pages for meetings, mounted by config/urls.py: path("staff/meetings/", include(...))."""

from django.urls import path

from sendmediation.meetings import views

app_name = "meetings"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("diary/", views.diary, name="diary"),
    path("diary/calendar-link/", views.diary_feed, name="diary_feed"),
    path("diary/working-days/", views.working_days, name="working_days"),
    path("<str:reference>/arrange/", views.arrange, name="arrange"),
    path("<str:reference>/family-can-make/", views.family_can_make, name="family_can_make"),
    path("<str:reference>/change/", views.change, name="change"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
    path("<str:reference>/held/", views.held, name="held"),
]
