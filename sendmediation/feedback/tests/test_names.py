"""Taking names out of a comment: the tricky names, each decided by hand."""

from __future__ import annotations

import pytest

from sendmediation.feedback.names import strip_names

CASES = [
    # A name whole, and each part of it.
    ("Sarah Khan was so kind. Thank you Sarah!", ["Sarah Khan"], "[name] was so kind. Thank you [name]!"),
    ("Mrs Khan and the school", ["Sarah Khan"], "Mrs [name] and the school"),
    # Any letter case: families type quickly on phones.
    ("amir is happier now", ["Amir"], "[name] is happier now"),
    # A possessive stays after the name; the name with either apostrophe goes.
    ("Amir's new school", ["Amir"], "[name]'s new school"),
    ("Siobhan O'Brien helped", ["Siobhan O'Brien"], "[name] helped"),
    ("Mr O\u2019Brien helped", ["Siobhan O'Brien"], "Mr [name] helped"),
    ("o'brien was late", ["O'Brien"], "[name] was late"),
    # A hyphenated name whole, and each part alone.
    ("Ms Smith-Jones and Ms Jones", ["Ann Smith-Jones"], "Ms [name] and Ms [name]"),
    # Inside another word, a name is left.
    ("The planning meeting with Anne", ["Ann"], "The planning meeting with Anne"),
    ("Khanna school", ["Khan"], "Khanna school"),
    # Names that are everyday words: taken out with a capital, left in small letters.
    ("I will recommend you. Will loves it.", ["Will Price"], "I will recommend you. [name] loves it."),
    ("You may call me. May is happy.", ["May Green"], "You may call me. [name] is happy."),
    ("We hope it works. Thanks Hope.", ["Hope"], "We hope it works. Thanks [name]."),
    # At the start of a sentence the word goes too: the safe way round, which the manager sees.
    ("Will it last? We think so.", ["Will"], "[name] it last? We think so."),
    # A name of one letter is an initial or a word, and is left.
    ("A great service", ["A Khan"], "A great service"),
    # Names of more than one word with extra spaces between them in the comment.
    ("Thanks to Mina   Patel", ["Mina Patel"], "Thanks to [name]"),
    # References and email addresses go as well.
    ("Case MED-2026-000123, email me at sam@example.org", [], "Case [reference], email me at [email]"),
    # Letters outside English: a word boundary still holds.
    ("Zoë was calm. Zoëlle too.", ["Zoë"], "[name] was calm. Zoëlle too."),
]


@pytest.mark.parametrize(("text", "names", "expected"), CASES)
def test_names_are_taken_out(text, names, expected):
    assert strip_names(text, names) == expected


def test_nothing_to_take_out_leaves_the_text_alone():
    assert strip_names("Very helpful, thank you.", []) == "Very helpful, thank you."
    assert strip_names("Very helpful", ["", "  "]) == "Very helpful"
