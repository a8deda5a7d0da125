"""gunicorn's access log with the path as the browser sent it, escaped.

gunicorn's %(U)s is the decoded path, so a ``%0A`` in an address writes a line break, and whatever
follows it reads as a log line of its own. This logger writes the raw path instead, percent-escapes
left as they came, anything unprintable escaped, and never the query string (it can carry a
postcode or a name).
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.glogging import Logger


def escaped_path(raw_uri: str) -> str:
    """The path part of the request target, printable ASCII only: anything else as \\xNN."""
    path = raw_uri.split("?", 1)[0].split("#", 1)[0]
    out = []
    for char in path:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x21 <= code <= 0x7E:
            out.append(char)
        else:
            out.append("".join(f"\\x{byte:02x}" for byte in char.encode("utf-8")))
    return "".join(out)


class EscapedPathLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        path = escaped_path(str(environ.get("RAW_URI") or environ.get("PATH_INFO") or ""))
        atoms["U"] = path
        # The request line and the query string carry the query: keep both out.
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        atoms["q"] = "-"
        atoms["m"] = escaped_path(str(environ.get("REQUEST_METHOD") or "-"))
        return atoms


class OneLineFormatter(logging.Formatter):
    """The service's own log lines (Django's "Internal Server Error: /path" among them) with any line
    break in the message escaped, so that a path cannot start a forged line. Tracebacks keep theirs."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = record.message.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
        return super().formatMessage(record)
