from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sendmediation.meetings"
    label = "meetings"
    verbose_name = "Meetings, venues and mediators"

    def ready(self) -> None:
        # Connects the receiver that cancels meetings still to come when a case stops.
        from sendmediation.cases import retention
        from sendmediation.meetings import services  # noqa: F401
        from sendmediation.meetings.retention import anonymise_meetings

        # Casework never imports meetings: the retention schedule reaches them through this.
        if anonymise_meetings not in retention.ANONYMISERS:
            retention.ANONYMISERS.append(anonymise_meetings)
