"""JSON bytes for simulator responses: orjson speed, exact decimals.

Money lives in records as `Decimal`; each Decimal is written as a JSON number with exactly the digits it
holds (`Decimal("67900.00000")` -> `67900.00000`), never through a float.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import orjson

_MARK = re.compile(rb'"\\u0000([-0-9.Ee+]+)\\u0000"')
CENT = Decimal("0.01")


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return "\x00" + format(value, "f") + "\x00"
    raise TypeError(f"not serializable: {type(value).__name__}")


def dumps(obj: Any) -> bytes:
    """Serialize `obj` to compact JSON bytes, writing Decimals as exact numbers."""
    raw = orjson.dumps(obj, default=_default)
    if b"\\u0000" in raw:
        raw = _MARK.sub(rb"\1", raw)
    return raw


def round2(value: Decimal) -> Decimal:
    """Round to cents, half away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """The shortest exact form (`30.00` -> `30`, `840.10` -> `840.1`), as the Troyansys examples print."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def fixed(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_decimal(value: Any) -> Decimal | None:
    """Parse a served amount back to Decimal; None when it is malformed (injected bad records)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None
