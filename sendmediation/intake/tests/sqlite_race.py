"""Send requests from many threads at once against a SQLite file, as the web server would.

Run as a script (the test suite's own SQLite database lives in memory, where SQLite fails at once
instead of waiting for a lock): ``python -m sendmediation.intake.tests.sqlite_race PATH``. Prints
one JSON line: the numbers given out, how many requests one draft sent four times made, errors.
"""

import functools
import json
import os
import sys
import threading


def main(path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    from sendmediation.intake import services
    from sendmediation.intake.models import HelpRequest, RequestDraft
    from sendmediation.intake.tests.test_services import complete_draft

    with connection.schema_editor() as editor:
        for label in (
            "contenttypes.ContentType",
            "auth.Permission",
            "auth.Group",
            "localities.LocalAuthority",
            "accounts.User",
            "statutory.OneOffHoliday",
            "statutory.OneOffHolidaysVersion",
            "notifications.OutboxMessage",
            "intake.ReferenceCounter",
            "intake.HelpRequest",
            "intake.RequestDraft",
        ):
            editor.create_model(apps.get_model(label))

    drafts = [complete_draft() for _ in range(8)]
    shared = complete_draft()
    calls = [functools.partial(services.submit_request, draft=draft) for draft in [*drafts, *[shared] * 4]]
    barrier = threading.Barrier(len(calls))
    results: dict[int, int] = {}
    errors: list[str] = []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call().pk
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "numbers": sorted(HelpRequest.objects.values_list("number", flat=True)),
                "from_shared": sorted({pk for index, pk in results.items() if index >= len(drafts)}),
                "shared_sent_as": RequestDraft.objects.get(pk=shared.pk).help_request_id,
                "errors": errors,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
