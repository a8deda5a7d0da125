"""Each word of the names on a case, kept for searching by name with an index.

Searching names with ``LIKE '%word%'`` reads every party of every case; a sorted table of words
finds the cases whose names have a word starting with what was typed, however many cases there
are. ``sendmediation.cases.search`` keeps it in step with the names; the services call it.
"""

from __future__ import annotations

from django.db import models


class SearchWord(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="search_words")
    # Lower case, accents removed: "Zoë O'Neil-Smith" gives "zoe", "o", "neil" and "smith".
    word = models.CharField(max_length=60)
    # The case's own date, kept beside each word (it never changes once a case is opened), so that
    # a list searched by one name word is paged, newest first, through the words' index alone.
    received_on = models.DateField()

    PERSONAL_FIELDS = ("word",)

    class Meta:
        indexes = [
            models.Index(fields=["word", "case"], name="search_word_idx"),
            # For LIKE 'word%' on PostgreSQL under any collation (other databases ignore opclasses),
            # with the date and the case, so that counting the cases a word finds, and the page of
            # them shown, read the index alone.
            models.Index(
                fields=["word", "received_on", "case"],
                name="search_word_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["case", "word"], name="search_word_once_per_case")]

    def __str__(self) -> str:
        return f"Search word {self.pk}"
