"""Each meeting says whether it is a mediation or a disagreement resolution meeting (its case's kind),
so that the reports count meetings of each kind without reading each meeting's case."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0028_staff_due"),
        ("meetings", "0003_diary_feed"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="route",
            field=models.CharField(
                choices=[("mediation", "Mediation"), ("disagreement_resolution", "Disagreement resolution")],
                default="mediation",
                max_length=30,
            ),
            preserve_default=False,
        ),
        # A meeting is arranged only for a mediation or a disagreement resolution case, so every
        # existing meeting takes its case's kind.
        migrations.RunSQL(
            "UPDATE meetings_meeting SET route = "
            "(SELECT kind FROM cases_case WHERE cases_case.id = meetings_meeting.case_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["starts_at", "status", "route", "case"], name="meeting_report_idx"),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(("route__in", ["mediation", "disagreement_resolution"])),
                name="meeting_route_known",
            ),
        ),
    ]
