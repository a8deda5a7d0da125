"""API tokens move to the accounts app, rows and all.

The table is renamed from cases_apitoken to accounts_apitoken, the name Django gives the model in its
new app, and the model leaves this app's state. accounts' migration 0002_api_token then takes it into
its own state without touching the database. No other table points at this one, so nothing else has
to follow it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_access_log_item"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="apitoken", table="accounts_apitoken"),
            ],
            state_operations=[
                migrations.DeleteModel(name="ApiToken"),
            ],
        ),
    ]
