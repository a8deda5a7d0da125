"""Times of day as people type them, and as the service writes them."""

import datetime

import pytest

from sendmediation.common.clock_times import format_clock_time, parse_clock_time
from sendmediation.common.govuk_forms import GovukTimeField


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2pm", (14, 0)),
        ("2 pm", (14, 0)),
        ("2PM", (14, 0)),
        ("2:30pm", (14, 30)),
        ("2.30pm", (14, 30)),
        ("2:30 p.m.", (14, 30)),
        ("230pm", (14, 30)),
        ("9am", (9, 0)),
        ("9:05am", (9, 5)),
        ("12pm", (12, 0)),
        ("12am", (0, 0)),
        ("12:30am", (0, 30)),
        ("14:30", (14, 30)),
        ("14.30", (14, 30)),
        ("1430", (14, 30)),
        ("09:00", (9, 0)),
        ("00:15", (0, 15)),
        ("0930", (9, 30)),
        ("midday", (12, 0)),
        ("Noon", (12, 0)),
        ("midnight", (0, 0)),
        ("  10:00  ", (10, 0)),
    ],
)
def test_times_are_read_as_people_type_them(typed, meant):
    assert parse_clock_time(typed) == datetime.time(*meant)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "2",
        "14",
        "2:30",
        "230",
        "143",
        "9:05",
        "0:15",
        "13pm",
        "0am",
        "24:00",
        "10:60",
        "10:5",
        "ten",
        "2:30pm tomorrow",
        "-1:00",
        "2ppm",
    ],
)
def test_what_is_not_a_time_is_refused(typed):
    assert parse_clock_time(typed) is None


@pytest.mark.parametrize(
    ("moment", "written"),
    [((10, 0), "10am"), ((14, 30), "2:30pm"), ((12, 0), "midday"), ((0, 0), "midnight"), ((0, 5), "12:05am")],
)
def test_times_are_written_in_the_govuk_style(moment, written):
    assert format_clock_time(datetime.time(*moment)) == written
    assert parse_clock_time(written) == datetime.time(*moment)


def test_the_field_names_what_it_is_asking_for_in_its_errors():
    field = GovukTimeField(subject="the call")
    assert field.clean("2:30pm") == datetime.time(14, 30)
    with pytest.raises(Exception, match="Enter the time of the call like 2pm, 2:30pm or 14:30"):
        field.clean("half two")
    with pytest.raises(Exception, match="Enter the time of the call"):
        field.clean("")
    assert field.prepare_value(datetime.time(9, 0)) == "9am"


@pytest.mark.parametrize("typed", ["2", "2:30", "230", "143", "9.05"])
def test_a_time_that_could_be_morning_or_afternoon_asks_for_am_or_pm(typed):
    field = GovukTimeField(subject="the call")
    with pytest.raises(Exception, match="Enter am or pm for the time of the call, for example 2:30pm"):
        field.clean(typed)
    afternoon = field.clean(f"{typed}pm")
    assert afternoon is not None and afternoon.hour >= 12
