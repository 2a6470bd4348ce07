"""The records of a landed page as exact text slices of its body.

The engine counts records by parsing pages into Python values; the warehouse needs each record's exact text
(numbers as sent, never through a double). msgspec.Raw keeps a sub-value's original bytes, so a page is split
without re-serializing anything. Same rule as the engine's `records_of`: a list at the path gives its items,
a non-empty object gives itself, anything else gives no record.
"""

from __future__ import annotations

import msgspec

_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ARRAY = msgspec.json.Decoder(list[msgspec.Raw])


def record_texts(body: bytes, path: str | None) -> list[str]:
    """The record texts of one page body; `path` is the endpoint's dotted record path (None: the body)."""
    value = msgspec.Raw(body)
    for key in path.split(".") if path else ():
        if not _starts_with(value, b"{"):
            return []
        value = _OBJECT.decode(value).get(key)
        if value is None:
            return []
    if _starts_with(value, b"["):
        return [bytes(item).decode() for item in _ARRAY.decode(value)]
    if _starts_with(value, b"{") and _OBJECT.decode(value):
        return [bytes(value).decode()]
    return []


def _starts_with(value: msgspec.Raw, char: bytes) -> bool:
    view = memoryview(value)
    start = 0
    while start < len(view) and view[start] in b" \t\r\n":
        start += 1
    return view[start:start + 1] == char
