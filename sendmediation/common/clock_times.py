"""Times of day as people type them (2pm, 2:30pm, 14:30, midday) and as the service writes them."""

import datetime
import re

_CLOCK = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?$")
_NAMED_TIMES = {"midday": datetime.time(12), "noon": datetime.time(12), "midnight": datetime.time(0)}


def parse_clock_time(raw: str) -> datetime.time | None:
    """Read a time as people type it: 2pm, 2:30pm, 2.30 pm, 14:30, 1430, midday.

    Without am or pm the time must be plainly on the 24-hour clock: a two-digit hour ("09:00",
    "14:30", "1430"). "2", "2:30" or "230" could be morning or afternoon, and a guess would book a
    call in the middle of the night, so they are not times until am or pm is added."""
    text = " ".join(raw.lower().split())
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif match["minute"] is None or len(match["hour"]) != 2 or hour > 23:
        return None
    return datetime.time(hour, minute)


def format_clock_time(moment: datetime.time | datetime.datetime) -> str:
    """GOV.UK style: 10am, 2:30pm, midday, midnight."""
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour, suffix = moment.hour % 12 or 12, "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"
