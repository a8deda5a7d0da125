from django.db import migrations, models

import sendmediation.cases.models.history


class Migration(migrations.Migration):
    """The access log records reads of lists too: a row may name neither a case nor a request, and
    keeps the query, how many results were shown and the page. Rows already written keep their hash
    (hash_version 1); rows from now on hash the new fields too (version 2), and their time is set
    before the row is written."""

    dependencies = [
        ("cases", "0024_access_log_who_viewed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="accesslog",
            name="access_log_case_or_request",
        ),
        migrations.AddField(
            model_name="accesslog",
            name="query",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="shown",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="page",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        # Every row already written was hashed the old way: version 1.
        migrations.AddField(
            model_name="accesslog",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        # Set by the code that writes the row, before its hash is worked out (no change to the table).
        migrations.AlterField(
            model_name="accesslog",
            name="at",
            field=models.DateTimeField(default=sendmediation.cases.models.history.now),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="what",
            field=models.CharField(
                choices=[
                    ("case_page", "Case page"),
                    ("api_read", "Case read through the API"),
                    ("document", "Document downloaded"),
                    ("certificate", "Certificate downloaded"),
                    ("family_page", "Family's page (from a link)"),
                    ("family_certificate", "Certificate downloaded by the family"),
                    ("request_page", "Request for help"),
                    ("request_letter", "Decision letter sent with a request"),
                    ("email", "Email about a case"),
                    ("subject_access", "Everything held about the family exported"),
                    ("viewers", "Who viewed the case"),
                    ("case_list", "Case list or search"),
                    ("my_work", "My work"),
                    ("request_list", "List of requests for help"),
                    ("api_case_list", "Case list or search through the API"),
                    ("admin_change", "Record opened in the admin"),
                    ("certificate_preview", "Certificate previewed before it was issued"),
                    ("agreement_preview", "Agreement previewed before it was sent"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="accesslog",
            constraint=models.CheckConstraint(
                condition=models.Q(("case__isnull", True), ("help_request__isnull", True), _connector="OR"),
                name="access_log_not_case_and_request",
            ),
        ),
        migrations.AddConstraint(
            model_name="accesslog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("case__isnull", False),
                    ("help_request__isnull", False),
                    ("what__in", ["case_list", "my_work", "request_list", "api_case_list", "admin_change"]),
                    _connector="OR",
                ),
                name="access_log_subject_unless_list",
            ),
        ),
    ]
