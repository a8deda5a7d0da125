"""Told, once a change has committed, that a one-off bank holiday was added or removed."""

from django.dispatch import Signal

# Sent with ``day`` (the holiday's date) and ``added`` (False when it was removed). Dates stored
# elsewhere that count working days across that day need working out again.
one_off_holidays_changed = Signal()
