"""Indexes for My work and the case list at national scale (decisions/0008)."""

from django.db import migrations, models

RUNNING = models.Q(("met_on__isnull", True), ("stopped_on__isnull", True))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_certificate_asked"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["local_authority", "-received_on", "-id", "kind"], name="case_authority_recent_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=RUNNING,
                fields=["effective_due", "rule", "due", "case", "id"],
                name="deadline_running_work_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=RUNNING, fields=["case", "due", "rule"], name="deadline_running_case_idx"
            ),
        ),
        # The new running index begins with the same column, so it serves every query this one did.
        migrations.RemoveIndex(model_name="deadline", name="deadline_running_idx"),
    ]
