"""Taking names out of a family's comment before it can become a testimonial.

What is taken out, each replaced with "[name]": every name on the case (the child's, each party's
and each party's organisation, and the staff who worked on it), whole and each part of it, wherever
it stands as a word of its own in any letter case. "O'Brien" matches with a straight or a curly
apostrophe and keeps a possessive after it ("Amir's school" becomes "[name]'s school"); a
hyphenated name is taken out whole, and each part of it on its own too ("Mrs Jones" for
Smith-Jones). A name inside another word is left ("Ann" in "planning"). Parts of one letter are
left, since they are initials or words ("A", "I").

Names that are also everyday words ("Will", "May", "Grace", "Hope", "Young") are taken out only
when written with a capital letter: "I will recommend you" stays, "Will loves his school" loses the
name, and so does a sentence that starts with the word. Erring towards taking a word out is the
safe way round; the manager reads the result before it becomes a testimonial.

Case references and email addresses go too, replaced with "[reference]" and "[email]".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME = "[name]"

# Names that are everyday words when written in small letters. Not a complete list: a name missing
# from it is simply taken out in any letter case.
COMMON_WORDS = frozenset({
    "april", "august", "autumn", "baker", "bell", "best", "bill", "black", "brown", "carter",
    "chance", "cook", "dawn", "drew", "faith", "frank", "grace", "green", "guy", "hall", "hill",
    "holly", "hope", "ivy", "joy", "june", "king", "lane", "long", "mark", "mason", "may", "miles",
    "page", "pat", "penny", "price", "rich", "rob", "rose", "ruby", "sky", "summer", "sunny",
    "taylor", "walker", "ward", "white", "will", "wood", "young",
})  # fmt: skip

_APOSTROPHES = "'\u2019\u02bc"
_REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{3,}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _parts(name: str) -> list[str]:
    """The name whole, and each word and each part of a hyphenated word of two letters or more."""
    name = " ".join(name.split())
    if not name:
        return []
    words = name.split(" ")
    pieces = [name, *words]
    for word in words:
        pieces += word.split("-")
    return [piece.strip(".,") for piece in pieces if len(piece.strip(".,")) > 1]


def _pattern(piece: str) -> str:
    escaped = "".join(f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char) for char in piece)
    return escaped.replace(r"\ ", r"\s+")


def strip_names(text: str, names: Iterable[str]) -> str:
    """``text`` with every name in ``names`` (and its parts), references and emails taken out."""
    text = _EMAIL.sub("[email]", text)
    text = _REFERENCE.sub("[reference]", text)
    pieces = sorted({piece for name in names for piece in _parts(name)}, key=lambda p: (-len(p), p))
    if not pieces:
        return text
    alternation = "|".join(_pattern(piece) for piece in pieces)
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.casefold() in COMMON_WORDS and not found[:1].isupper():
            return found
        return NAME

    return pattern.sub(replace, text)
