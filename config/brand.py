"""The provider's name, contact details and colours, read from brand.json (the one place)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

BRAND_FILE = Path(__file__).resolve().parent / "brand.json"


@cache
def brand() -> dict[str, Any]:
    with BRAND_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
