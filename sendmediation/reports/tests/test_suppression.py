"""Small-number suppression, on figure sets made by hand (no database)."""

from __future__ import annotations

import pytest

from sendmediation.reports.figures import Breakdown, FigureSet, Median, NotRecorded, Number, Row, Share
from sendmediation.reports.suppression import FEWER_THAN_5, NOT_SHOWN, average_cell, cells


def shown(numbers: dict[str, int], *breakdowns: Breakdown) -> dict[str, str]:
    figure_set = FigureSet("t", "T", tuple(Row(k, k, Number(n)) for k, n in numbers.items()), breakdowns)
    return {key: cell.text for key, cell in cells(figure_set).items()}


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (1, FEWER_THAN_5), (4, FEWER_THAN_5), (5, "5"), (1234, "1,234")]
)
def test_counts_from_1_to_4_are_fewer_than_5(n, text):
    assert shown({"a": n}) == {"a": text}


def test_a_hidden_count_never_carries_its_number():
    figure_set = FigureSet("t", "T", (Row("a", "a", Number(3)),))
    cell = cells(figure_set)["a"]
    assert cell.number is None and cell.suppressed


def test_one_hidden_part_hides_the_next_smallest_part_too():
    # 20 = 3 + 10 + 7: with 3 hidden alone, 20 - 10 - 7 would give it away.
    got = shown({"total": 20, "a": 3, "b": 10, "c": 7}, Breakdown("total", ("a", "b", "c")))
    assert got == {"total": "20", "a": FEWER_THAN_5, "b": "10", "c": NOT_SHOWN}


def test_a_zero_part_is_not_enough_cover():
    got = shown({"total": 13, "a": 3, "b": 0, "c": 10}, Breakdown("total", ("a", "b", "c")))
    assert got == {"total": "13", "a": FEWER_THAN_5, "b": "0", "c": NOT_SHOWN}


def test_when_every_other_part_is_zero_the_total_is_hidden():
    got = shown({"total": 7, "a": 0, "b": 7, "c": 0}, Breakdown("total", ("a", "b", "c")))
    assert got == {"total": "7", "a": "0", "b": "7", "c": "0"}  # nothing small: all shown
    got = shown({"total": 3, "a": 0, "b": 3}, Breakdown("total", ("a", "b")))
    assert got == {"total": FEWER_THAN_5, "a": "0", "b": FEWER_THAN_5}


def test_two_hidden_parts_cover_each_other():
    got = shown({"total": 14, "a": 2, "b": 2, "c": 10}, Breakdown("total", ("a", "b", "c")))
    assert got == {"total": "14", "a": FEWER_THAN_5, "b": FEWER_THAN_5, "c": "10"}


def test_suppression_carries_from_one_breakdown_to_the_next():
    # Attendance: 13 mediations = 10 attended + 3 absent; 10 attended = 8 could settle + 2 could not.
    got = shown(
        {"mediations": 13, "attended": 10, "absent": 3, "settle": 8, "not_settle": 2},
        Breakdown("mediations", ("attended", "absent")),
        Breakdown("attended", ("settle", "not_settle")),
    )
    assert got["absent"] == FEWER_THAN_5 and got["not_settle"] == FEWER_THAN_5
    assert got["attended"] == NOT_SHOWN  # else 13 - 10 gives the 3 absent
    assert got["mediations"] == "13" and got["settle"] == "8"


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (10, 20, "50%"),
        (0, 10, "0%"),
        (10, 10, "100%"),
        (0, 0, "none to count"),
        (2, 40, NOT_SHOWN),  # the part is small
        (5, 6, NOT_SHOWN),  # the rest is small: 1 was not
        (3, 3, NOT_SHOWN),  # the whole is small
        (5, 9, NOT_SHOWN),  # 4 were not
        (5, 10, "50%"),
    ],
)
def test_shares_of_small_numbers_are_not_shown(part, whole, text):
    figure_set = FigureSet("t", "T", (Row("s", "s", Share(part, whole)),))
    assert cells(figure_set)["s"].text == text


def test_medians_over_fewer_than_5_are_not_shown():
    figure_set = FigureSet(
        "t",
        "T",
        (
            Row("few", "few", Median(2, 4, "days")),
            Row("enough", "enough", Median(2.5, 5, "working days")),
            Row("none", "none", Median(None, 0, "days")),
        ),
    )
    got = cells(figure_set)
    assert got["few"].text == NOT_SHOWN and got["few"].number is None
    assert got["enough"].text == "2.5 working days"
    assert got["none"].text == "none to count"


def test_a_figure_not_recorded_says_so():
    figure_set = FigureSet("t", "T", (Row("x", "x", NotRecorded("why")),))
    cell = cells(figure_set)["x"]
    assert cell.text == "not yet recorded" and cell.number is None


def test_the_service_average_hides_with_a_small_service_total():
    assert average_cell(Number(3), 40).text == NOT_SHOWN
    assert average_cell(Number(80), 40).text == "2.0"
    assert average_cell(Number(0), 40).text == "0.0"
