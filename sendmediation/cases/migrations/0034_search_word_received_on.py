from django.db import migrations, models

# Each word takes its case's date. The statement is the same on PostgreSQL and SQLite.
COPY_THE_DATE = """
    UPDATE cases_searchword
    SET received_on = (SELECT received_on FROM cases_case WHERE cases_case.id = cases_searchword.case_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0033_search_word_prefix_with_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="received_on",
            field=models.DateField(null=True),
        ),
        migrations.RunSQL(COPY_THE_DATE, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="searchword",
            name="received_on",
            field=models.DateField(),
        ),
        migrations.RemoveIndex(
            model_name="searchword",
            name="search_word_prefix_idx",
        ),
        migrations.AddIndex(
            model_name="searchword",
            index=models.Index(
                fields=["word", "received_on", "case"],
                name="search_word_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
        ),
    ]
