"""Small helpers shared by the four API route modules: byte responses, strict parameter parsing."""

import re
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def raw(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def parse_date(text: str) -> date | None:
    """A strict YYYY-MM-DD date, or None (impossible dates such as 2026-02-29 included)."""
    if not _DATE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def parse_int(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"-?\d{1,12}", text):
        return None
    return int(text)


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header (case-insensitive; a missing space tolerated)."""
    value = request.headers.get("authorization", "")
    if value[:6].lower() != "bearer":
        return None
    token = value[6:].strip()
    return token or None


def body_page(prefix: bytes, records: list[bytes], suffix: bytes) -> bytes:
    return prefix + b"[" + b",".join(records) + b"]" + suffix


def count_request(world: Any, source: str, tenant: str) -> None:
    world.stats.requests[source][tenant] += 1
