from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sendmediation.feedback"
    label = "feedback"
    verbose_name = "Follow-up surveys"

    def ready(self) -> None:
        from sendmediation.cases import retention
        from sendmediation.cases.signals import case_stopped
        from sendmediation.feedback.retention import anonymise_survey
        from sendmediation.feedback.services import invite_when_case_closes

        case_stopped.connect(invite_when_case_closes, dispatch_uid="feedback.invite_when_case_closes")
        # Casework never imports the survey: the retention schedule reaches it through this.
        if anonymise_survey not in retention.ANONYMISERS:
            retention.ANONYMISERS.append(anonymise_survey)
