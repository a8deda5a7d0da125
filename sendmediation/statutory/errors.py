"""Exceptions raised by the statutory deadline package."""

from __future__ import annotations


class StatutoryError(ValueError):
    """Base class for every error this package raises on bad input."""


class OutsideCalendar(StatutoryError):
    """A date, or a result, lies outside the years the working-day calendar covers."""


class UnknownRule(StatutoryError):
    """The rule code is not one of the codes in ``RULES``."""


class UnknownOrder(StatutoryError):
    """The order type is missing or is not one of the slugs in ``ORDER_TYPES``."""


class UnexpectedArgument(StatutoryError):
    """An argument was given to a rule that does not use it."""
