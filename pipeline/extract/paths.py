"""Dotted paths into parsed JSON ("meta.last_page")."""

from __future__ import annotations

from typing import Any


def dig(value: Any, path: str | None) -> Any:
    if path is None:
        return None
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
