"""Finding cases by the names on them: the words, how they are normalised, and the query."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet

from sendmediation.cases.models import Case, Party, SearchWord

_WORD = re.compile(r"[^\W\d_]+")
MAX_WORD = SearchWord._meta.get_field("word").max_length or 60


def words(text: str) -> list[str]:
    """The searchable words of a name: lower case, without accents, split at spaces and punctuation."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return [word[:MAX_WORD] for word in _WORD.findall(plain)]


def words_for(names: Iterable[str]) -> set[str]:
    return {word for name in names for word in words(name)}


def index_names(case: Case) -> None:
    """Make the case's search words match its child's and parties' names (services call this)."""
    names = [case.child_first_name, case.child_last_name]
    names += list(Party.objects.filter(case=case).values_list("name", flat=True))
    wanted = words_for(names)
    existing = set(SearchWord.objects.filter(case=case).values_list("word", flat=True))
    SearchWord.objects.filter(case=case, word__in=existing - wanted).delete()
    SearchWord.objects.bulk_create(
        [SearchWord(case=case, word=word, received_on=case.received_on) for word in sorted(wanted - existing)]
    )


def name_filter(text: str) -> Q:
    """Cases with, for every word typed, a name word that starts with it. Text with no letters in
    it (a stray number or dash) is no name, so it finds nothing rather than everything."""
    typed_words = words(text)
    if not typed_words:
        return Q(pk__in=[])
    condition = Q()
    for typed in typed_words:
        condition &= Q(pk__in=_starting_with(typed).values("case_id"))
    return condition


def name_count(text: str) -> int | None:
    """How many cases a search for one name word finds, read from the words alone (each word row
    belongs to a case that exists): the same cases ``name_filter`` finds, without joining them to
    the case table. None for more than one word, whose cases must be intersected."""
    typed_words = words(text)
    if len(typed_words) != 1:
        return None
    return _starting_with(typed_words[0]).values("case_id").distinct().count()


def newest_first(text: str) -> QuerySet[SearchWord, int] | None:
    """The ids of the cases a search for one name word finds, in the case list's order (newest
    received first, then the later case), read from the words' index alone: the same cases
    ``name_filter`` finds, without reading the case table. None for more than one word."""
    typed_words = words(text)
    if len(typed_words) != 1:
        return None
    found = _starting_with(typed_words[0]).values_list("case_id", flat=True)
    return found.distinct().order_by("-received_on", "-case_id")


def _starting_with(typed: str) -> QuerySet[SearchWord]:
    if connection.vendor == "postgresql":
        # LIKE 'typed%' through the varchar_pattern_ops index, whatever the database's collation.
        return SearchWord.objects.filter(word__startswith=typed)
    # SQLite compares text byte by byte, so a range is exactly the words that start with ``typed``
    # and reads the (word, case) index; its LIKE would not use an index here.
    return SearchWord.objects.filter(word__gte=typed, word__lt=typed + "\U0010ffff")
