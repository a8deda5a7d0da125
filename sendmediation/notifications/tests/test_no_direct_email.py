"""Nothing outside the notifications app sends email itself: everything goes through the outbox."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTIFICATIONS = ROOT / "sendmediation" / "notifications"
DIRECT = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives|smtplib)\b"
    r"|\.send_messages\(|core\.mail\.get_connection|from django\.core\.mail import"
)


def python_files() -> list[Path]:
    files = [
        path for top in ("sendmediation", "config", "tests") for path in ROOT.joinpath(top).rglob("*.py")
    ]
    return [path for path in files if NOTIFICATIONS not in path.parents]


def test_the_source_tree_is_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in python_files()}

    assert "config/settings/base.py" in names
    assert not any(name.startswith("sendmediation/notifications/") for name in names)


def test_no_code_outside_notifications_sends_email_directly() -> None:
    offenders = []
    for path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if DIRECT.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert offenders == [], "Queue email with notifications.services.queue_email instead:\n" + "\n".join(
        offenders
    )


def test_the_check_would_catch_a_direct_send() -> None:
    assert DIRECT.search("    send_mail(subject, body, None, [to])")
    assert DIRECT.search("from django.core.mail import EmailMessage")
    assert DIRECT.search("message = EmailMultiAlternatives(subject)")
    assert not DIRECT.search("from django.core import mail  # tests read mail.outbox")
