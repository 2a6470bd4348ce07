"""Paginators: small named strategies that decide which requests cover a partition.

Each one drives a PageContext (see engine.py): `await ctx.fetch(params=..., json=...)` sends one request
(endpoint params and the window are merged in by the context), lands its page and returns a Page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pipeline.extract.paths import dig

if TYPE_CHECKING:
    from pipeline.extract.engine import PageContext


@dataclass(frozen=True)
class WholeWindow:
    """One request returns the whole partition (summaries, dashboard)."""

    repage = False

    async def run(self, ctx: PageContext) -> None:
        await ctx.fetch()


@dataclass(frozen=True)
class PageNumber:
    """Page-number paging. When the first page states the page count, the rest are fetched concurrently;
    otherwise pages are read in order until `has_next` says no, or a page is empty or shorter than the
    longest one seen (which tolerates a server that silently caps the page size below what was asked)."""

    page: str = "page"
    size: str = "per_page"
    size_value: int = 100
    total_pages: str | None = None
    has_next: str | None = None
    repage = True

    def params(self, number: int) -> dict[str, Any]:
        return {self.page: number, self.size: self.size_value}

    async def run(self, ctx: PageContext) -> None:
        first = await ctx.fetch(params=self.params(1))
        total = dig(first.body, self.total_pages)
        if isinstance(total, int) and not isinstance(total, bool):
            await ctx.fetch_all([self.params(n) for n in range(2, total + 1)])
            return
        longest, last, number = first.count, first, 1
        while self._more(last, longest):
            number += 1
            last = await ctx.fetch(params=self.params(number))
            longest = max(longest, last.count)

    def _more(self, last: Any, longest: int) -> bool:
        has_next = dig(last.body, self.has_next)
        if isinstance(has_next, bool):
            return has_next and last.count > 0
        return last.count > 0 and last.count >= longest


@dataclass(frozen=True)
class SubWindow:
    start: date
    end: date
    types: tuple[int, ...]
    number_from: int | None = None
    number_to: int | None = None

    def split(self, max_number: int) -> list[SubWindow]:
        """Halve the dates; a single day by document type; a single type by document number."""
        if self.start < self.end:
            middle = self.start + timedelta(days=(self.end - self.start).days // 2)
            return [SubWindow(self.start, middle, self.types), SubWindow(middle + timedelta(days=1), self.end, self.types)]
        if len(self.types) > 1:
            half = len(self.types) // 2
            return [SubWindow(self.start, self.end, self.types[:half]), SubWindow(self.start, self.end, self.types[half:])]
        low, high = self.number_from or 1, self.number_to or max_number
        if low >= high:
            return []
        middle = (low + high) // 2
        return [
            SubWindow(self.start, self.end, self.types, low, middle),
            SubWindow(self.start, self.end, self.types, middle + 1, high),
        ]


@dataclass(frozen=True)
class SplitOnOverflow:
    """A POST whose body names the whole window (SERPI documents). When the API refuses the window as too
    large (the SPLIT rule), it is split and retried piece by piece; fails when nothing is left to split."""

    start: str
    end: str
    types: str
    number_from: str
    number_to: str
    types_endpoint: str
    max_number: int = 999_999_999
    repage = False

    def body(self, window: SubWindow) -> dict[str, Any]:
        return {
            self.types: list(window.types),
            self.number_from: window.number_from,
            self.number_to: window.number_to,
            self.start: window.start.isoformat(),
            self.end: window.end.isoformat(),
        }

    async def run(self, ctx: PageContext) -> None:
        types = ctx.connection.document_types or tuple(await ctx.keys_of(self.types_endpoint))
        if not types:
            return
        pending = [SubWindow(ctx.partition.window_start, ctx.partition.window_end, tuple(types))]
        while pending:
            window = pending.pop(0)
            page = await ctx.fetch(json=self.body(window))
            if page.split:
                pieces = window.split(self.max_number)
                if not pieces:
                    ctx.fail_window_too_large(page, self.body(window))
                pending[:0] = pieces
