from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sendmediation.meetings"
    label = "meetings"
    verbose_name = "Meetings, venues and mediators"

    def ready(self) -> None:
        # Connects the receiver that cancels meetings still to come when a case stops.
        from sendmediation.meetings import services  # noqa: F401
