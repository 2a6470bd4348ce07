"""JSON out with exact numbers: a Decimal is written as the number text it was parsed from."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps_exact(value: Any, indent: int | None = None) -> str:
    numbers: list[str] = []

    def mark(item: Any) -> Any:
        if isinstance(item, Decimal):
            numbers.append(_number_text(item))
            return f"\x00{len(numbers) - 1}\x00"
        if isinstance(item, dict):
            return {key: mark(inner) for key, inner in item.items()}
        if isinstance(item, (list, tuple)):
            return [mark(inner) for inner in item]
        return item

    text = json.dumps(mark(value), ensure_ascii=False, indent=indent, default=str)
    for index, number in enumerate(numbers):
        text = text.replace(f'"\\u0000{index}\\u0000"', number, 1)
    return text


def _number_text(number: Decimal) -> str:
    if not number.is_finite():
        raise ValueError(f"not a JSON number: {number}")
    return str(number)
