from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sendmediation.meetings"
    label = "meetings"
    verbose_name = "Meetings, venues and mediators"
