# The number of cases, kept by triggers for the case list: see sendmediation/cases/case_total.py.
from django.db import migrations

POSTGRESQL = [
    # No case may be added or removed between the count and the triggers (held to the migration's end).
    "LOCK TABLE cases_case IN SHARE ROW EXCLUSIVE MODE",
    "CREATE TABLE cases_case_total (id bigserial PRIMARY KEY, change bigint NOT NULL)",
    "INSERT INTO cases_case_total (change) SELECT COUNT(*) FROM cases_case",
    """CREATE FUNCTION cases_case_total_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_total (change) SELECT COUNT(*) FROM added HAVING COUNT(*) > 0;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION cases_case_total_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_total (change) SELECT -COUNT(*) FROM removed HAVING COUNT(*) > 0;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION cases_case_total_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM cases_case_total;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER cases_case_total_added AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cases_case_total_added()""",
    """CREATE TRIGGER cases_case_total_removed AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cases_case_total_removed()""",
    """CREATE TRIGGER cases_case_total_emptied AFTER TRUNCATE ON cases_case
    FOR EACH STATEMENT EXECUTE FUNCTION cases_case_total_emptied()""",
]

POSTGRESQL_UNDO = [
    "DROP TRIGGER cases_case_total_emptied ON cases_case",
    "DROP TRIGGER cases_case_total_removed ON cases_case",
    "DROP TRIGGER cases_case_total_added ON cases_case",
    "DROP FUNCTION cases_case_total_emptied()",
    "DROP FUNCTION cases_case_total_removed()",
    "DROP FUNCTION cases_case_total_added()",
    "DROP TABLE cases_case_total",
]

# One writer at a time: one row, updated for each case added or removed.
SQLITE = [
    "CREATE TABLE cases_case_total (id integer PRIMARY KEY, change bigint NOT NULL)",
    "INSERT INTO cases_case_total (id, change) SELECT 1, COUNT(*) FROM cases_case",
    "CREATE TRIGGER cases_case_total_added AFTER INSERT ON cases_case BEGIN "
    "UPDATE cases_case_total SET change = change + 1 WHERE id = 1; END",
    "CREATE TRIGGER cases_case_total_removed AFTER DELETE ON cases_case BEGIN "
    "UPDATE cases_case_total SET change = change - 1 WHERE id = 1; END",
]

SQLITE_UNDO = [
    "DROP TRIGGER cases_case_total_removed",
    "DROP TRIGGER cases_case_total_added",
    "DROP TABLE cases_case_total",
]


def create(apps, schema_editor):
    for statement in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    for statement in SQLITE_UNDO if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_UNDO:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0031_my_work_open_case_indexes"),
    ]

    operations = [migrations.RunPython(create, remove)]
