"""The private calendar links, mounted by config/urls.py at /diary-feed/: no sign-in, the token is
the key."""

from django.urls import path

from sendmediation.meetings import views

app_name = "meetings_feed"

urlpatterns = [path("<str:token>.ics", views.feed, name="feed")]
