"""Indexes for the reports at national scale (decisions/0007): each period query reads one index."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0022_authority_takes_part_on_the_case"),
        ("intake", "0001_initial"),
        ("localities", "0004_local_offer_and_sendiass"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="advicecall",
            index=models.Index(fields=["held_at", "case", "outcome"], name="advice_call_report_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["received_on", "local_authority", "kind", "source_request"], name="case_report_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                fields=["issued_on", "case", "kind", "revoked_on"], name="certificate_report_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                fields=["effective_due", "rule", "case", "start", "met_on", "stopped_on"],
                name="deadline_report_idx",
            ),
        ),
    ]
