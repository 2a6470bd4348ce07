"""What an API says about itself for a partition (`reported` in the manifest), and the record count to
compare the landed unique records with. Numbers are kept exact: the bits re-emitted are parsed with Decimal."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipeline.extract.paths import dig


def exact(content: bytes) -> Any:
    return json.loads(content, parse_float=Decimal)


class Tracker:
    """Observes every answered request of one pass; the newest body wins where a figure repeats."""

    def __init__(self) -> None:
        self.latest: bytes | None = None

    def observe(self, content: bytes | None, body: Any, request: dict[str, Any]) -> None:
        if content and isinstance(body, dict):
            self.latest = content

    def result(self) -> dict[str, Any]:
        return {}

    def expected(self, result: dict[str, Any]) -> int | None:
        return None


@dataclass(frozen=True)
class NothingReported:
    def tracker(self) -> Tracker:
        return Tracker()


class _TotalTracker(Tracker):
    def __init__(self, spec: Total):
        super().__init__()
        self.spec = spec

    def result(self) -> dict[str, Any]:
        body = exact(self.latest) if self.latest else {}
        return {self.spec.name: _integer(dig(body, self.spec.path))}

    def expected(self, result: dict[str, Any]) -> int | None:
        return result.get(self.spec.name)


@dataclass(frozen=True)
class Total:
    """One count the API states, e.g. `pagination.total` recorded as {"total": n}."""

    path: str
    name: str = "total"

    def tracker(self) -> Tracker:
        return _TotalTracker(self)


class _TotalAndSummaryTracker(Tracker):
    def __init__(self, spec: TotalAndSummary):
        super().__init__()
        self.spec = spec

    def result(self) -> dict[str, Any]:
        body = exact(self.latest) if self.latest else {}
        return {"total": _integer(dig(body, self.spec.total)), "summary": dig(body, self.spec.summary)}

    def expected(self, result: dict[str, Any]) -> int | None:
        if result.get("total") is not None:
            return result["total"]
        return _integer(dig(result.get("summary"), self.spec.summary_count))


@dataclass(frozen=True)
class TotalAndSummary:
    """Troyansys lists: `meta.total` when present (else the summary's document count) plus the summary."""

    total: str = "meta.total"
    summary: str = "summary"
    summary_count: str | None = None  # path inside the summary, e.g. "docs"

    def tracker(self) -> Tracker:
        return _TotalAndSummaryTracker(self)


_COUNT = re.compile(rb'"message"\s*:\s*"(\d+)\s+registro')
_MESSAGE = re.compile(rb'"message"\s*:\s*"([^"]*)"')


class _MessageCountTracker(Tracker):
    def __init__(self, spec: MessageCount):
        super().__init__()
        self.spec = spec
        self.windows: list[dict[str, Any]] = []

    def observe(self, content: bytes | None, body: Any, request: dict[str, Any]) -> None:
        content = content or b""
        count_match, message_match = _COUNT.search(content), _MESSAGE.search(content)
        records = body.get(self.spec.records) if isinstance(body, dict) else None
        count = int(count_match.group(1)) if count_match else len(records) if isinstance(records, list) else 0
        window = {name: request.get(field) for name, field in self.spec.window_fields.items()}
        message = message_match.group(1).decode("utf-8", "replace") if message_match else None
        self.windows.append({**window, "count": count, "message": message})

    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = {"count": sum(w["count"] for w in self.windows)}
        if self.spec.window_fields:
            result["windows"] = self.windows
        return result

    def expected(self, result: dict[str, Any]) -> int | None:
        return result["count"]


@dataclass(frozen=True)
class MessageCount:
    """SERPI: the count in `message` ("2 registro(s) encontrados") summed over requests, with one entry per
    (sub)window when window_fields maps manifest names to request-body fields."""

    records: str = "result"
    window_fields: tuple[tuple[str, str], ...] | dict[str, str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "window_fields", dict(self.window_fields))

    def __hash__(self) -> int:
        return hash(self.records)

    def tracker(self) -> Tracker:
        return _MessageCountTracker(self)


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
