"""Blocks in the JSON form Wagtail stores for a StreamField, so that each page reads like its outline.

The names match the blocks in ``website/blocks.py``; a page definition builds its fields from these.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

Block = dict[str, Any]

ASK_FOR_HELP = "/request/"
DEADLINES = "/deadlines/"


def _block(kind: str, value: Any) -> Block:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def heading(text: str, level: str = "h2") -> Block:
    return _block("heading", {"text": text, "level": level})


def text(html: str) -> Block:
    return _block("text", html)


def inset(html: str) -> Block:
    return _block("inset_text", html)


def warning(plain: str) -> Block:
    return _block("warning_text", plain)


def details(summary: str, html: str) -> Block:
    return _block("details", {"summary": summary, "text": html})


def button(label: str, address: str) -> Block:
    return _block("button", {"text": label, "page": None, "address": address})


def _link(label: str, address: str, description: str = "") -> dict[str, Any]:
    return {"text": label, "page": None, "address": address, "description": description}


def link(label: str, address: str, description: str = "") -> Block:
    return _block("link", _link(label, address, description))


def links(title: str, items: list[tuple[str, str, str]]) -> Block:
    return _block(
        "links",
        {"heading": title, "links": [_block("item", _link(*item)) for item in items]},
    )


def table(caption: str, headers: list[str], rows: list[list[str]]) -> Block:
    return _block(
        "table",
        {
            "caption": caption,
            "headers": [_block("item", header) for header in headers],
            "rows": [_block("item", [_block("item", cell) for cell in row]) for row in rows],
        },
    )


def cookie_table() -> Block:
    return _block("cookie_table", None)


def contact_details() -> Block:
    return _block("contact_details", None)


def document_list(title: str, items: list[tuple[str, str, str]]) -> Block:
    """Link text, address and description of each entry, in the GOV.UK document list style."""
    return _block(
        "document_list",
        {
            "heading": title,
            "items": [
                _block(
                    "item",
                    {"text": label, "document": None, "page": None, "address": address, "description": about},
                )
                for label, address, about in items
            ],
        },
    )


def local_support(title: str) -> Block:
    return _block("local_support", {"heading": title})


def way(title: str, summary: str, page_id: int | None) -> Block:
    return _block("way", {"heading": title, "text": summary, "page": page_id})


def stream(*blocks: Block) -> str:
    return json.dumps(list(blocks))
