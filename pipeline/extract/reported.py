"""What an API says about itself for a partition (`reported` in the manifest), and how many records it said
there were when paging started (what the landed unique records are compared with). Numbers are kept exact:
the bodies re-read here are parsed with Decimal."""

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
    """Observes every answered request of one pass: the first body says what there was when paging started,
    the newest body is what the manifest reports (a figure repeated on every page may move during the pass:
    the newest body is the last to arrive, so `moved` compares the first with it)."""

    def __init__(self) -> None:
        self.first: bytes | None = None
        self.latest: bytes | None = None

    def observe(self, content: bytes | None, body: Any, request: dict[str, Any]) -> None:
        if content and isinstance(body, dict):
            self.first = self.first or content
            self.latest = content

    def result(self) -> dict[str, Any]:
        return {}

    def expected(self) -> int | None:
        """The record count stated by the first answer of the pass; None when the API states none."""
        return None

    def moved(self) -> bool:
        """Whether the stated count changed during the pass: records came or went while it was read."""
        return False


@dataclass(frozen=True)
class NothingReported:
    def tracker(self) -> Tracker:
        return Tracker()


class _TotalTracker(Tracker):
    def __init__(self, spec: Total):
        super().__init__()
        self.spec = spec

    def _total(self, content: bytes | None) -> int | None:
        return _integer(dig(exact(content), self.spec.path)) if content else None

    def result(self) -> dict[str, Any]:
        return {self.spec.name: self._total(self.latest)}

    def expected(self) -> int | None:
        return self._total(self.first)

    def moved(self) -> bool:
        return self._total(self.first) != self._total(self.latest)


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

    def _reported(self, content: bytes | None) -> dict[str, Any]:
        body = exact(content) if content else {}
        return {"total": _integer(dig(body, self.spec.total)), "summary": dig(body, self.spec.summary)}

    def result(self) -> dict[str, Any]:
        return self._reported(self.latest)

    def expected(self) -> int | None:
        return self._count(self.first)

    def moved(self) -> bool:
        return self._count(self.first) != self._count(self.latest)

    def _count(self, content: bytes | None) -> int | None:
        reported = self._reported(content)
        if reported["total"] is not None:
            return reported["total"]
        return _integer(dig(reported["summary"], self.spec.summary_count))


@dataclass(frozen=True)
class TotalAndSummary:
    """A list with a total where the API gives one (`total`), else the count inside its summary
    (`summary_count`), and the summary itself, for reconciliation."""

    total: str = "meta.total"
    summary: str = "summary"
    summary_count: str | None = None  # path inside the summary, e.g. "docs"

    def tracker(self) -> Tracker:
        return _TotalAndSummaryTracker(self)


_MESSAGE = re.compile(rb'"message"\s*:\s*"([^"]*)"')


class _CountInMessageTracker(Tracker):
    def __init__(self, spec: CountInMessage):
        super().__init__()
        self.spec = spec
        self.windows: list[dict[str, Any]] = []

    def observe(self, content: bytes | None, body: Any, request: dict[str, Any]) -> None:
        content = content or b""
        count_match, message_match = self.spec.compiled.search(content), _MESSAGE.search(content)
        records = dig(body, self.spec.records) if isinstance(body, dict) else None
        count = int(count_match.group(1)) if count_match else len(records) if isinstance(records, list) else 0
        window = {name: request.get(field) for name, field in self.spec.window_fields}
        message = message_match.group(1).decode("utf-8", "replace") if message_match else None
        self.windows.append({**window, "count": count, "message": message})

    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = {"count": sum(w["count"] for w in self.windows)}
        if self.spec.window_fields:
            result["windows"] = self.windows
        return result

    def expected(self) -> int | None:
        return self.result()["count"]


@dataclass(frozen=True)
class CountInMessage:
    """A count stated in the body's text (`pattern`'s first group, searched in the raw bytes), summed over the
    requests that cover the partition; one entry per request when `window_fields` maps manifest names to
    request-body fields. An answer without the pattern counts the records at `records`."""

    pattern: bytes
    records: str = "result"
    window_fields: tuple[tuple[str, str], ...] = ()

    @property
    def compiled(self) -> re.Pattern[bytes]:
        return re.compile(self.pattern)

    def tracker(self) -> Tracker:
        return _CountInMessageTracker(self)


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
