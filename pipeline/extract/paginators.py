"""Paginators: small named strategies that decide which requests cover a partition.

Each one drives a PageContext (the engine's PageFetcher implements it): `await ctx.fetch(params=..., json=...)`
sends one request (endpoint params and the window are merged in by the context), lands its page and returns a
Page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from pipeline.config import Connection
from pipeline.extract.paths import dig
from pipeline.extract.responses import Reply


@dataclass
class Page:
    """What a paginator learns from one request."""

    count: int = 0  # records on the page
    body: Any = None
    split: bool = False  # the API refused the window as too large
    reply: Reply | None = None


class Window(Protocol):
    window_start: date | None
    window_end: date | None


class PageContext(Protocol):
    connection: Connection
    partition: Window

    async def fetch(self, params: dict[str, Any] | None = None, json: Any = None) -> Page: ...

    async def fetch_all(self, params_list: list[dict[str, Any]]) -> list[Page]: ...

    async def keys_of(self, endpoint_name: str) -> list[Any]: ...

    def fail_window_too_large(self, page: Page, request: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class WholeWindow:
    """One request returns the whole partition (summaries, dashboard)."""

    repage = False

    async def run(self, ctx: PageContext) -> None:
        await ctx.fetch()


@dataclass(frozen=True)
class PageNumber:
    """Page-number paging. When the first page states the page count, the rest are fetched concurrently, and
    pages that later answers say were added meanwhile are read too; otherwise pages are read in order until
    `has_next` says no, or a page is empty or shorter than the longest one seen (which tolerates a server
    that silently caps the page size below what was asked)."""

    page: str = "page"
    size: str = "per_page"
    size_value: int = 100
    total_pages: str | None = None
    has_next: str | None = None
    growth_rounds: int = 3  # how many times a pass reads on when answers say the list grew meanwhile
    repage = True

    def params(self, number: int) -> dict[str, Any]:
        return {self.page: number, self.size: self.size_value}

    async def run(self, ctx: PageContext) -> None:
        first = await ctx.fetch(params=self.params(1))
        total = _count(dig(first.body, self.total_pages))
        if total is not None:
            fetched = 1
            for _ in range(self.growth_rounds + 1):  # the list grew while it was read (a shop sells): read on
                if total <= fetched:
                    break
                pages = await ctx.fetch_all([self.params(n) for n in range(fetched + 1, total + 1)])
                fetched, total = total, max([total, *(_count(dig(page.body, self.total_pages)) or 0
                                                      for page in pages)])
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


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class SubWindow:
    start: date
    end: date
    categories: tuple[Any, ...]
    number_from: int | None = None
    number_to: int | None = None

    def split(self, max_number: int) -> list[SubWindow]:
        """Halve the dates; a single day by category; a single category by record number."""
        if self.start < self.end:
            middle = self.start + timedelta(days=(self.end - self.start).days // 2)
            return [SubWindow(self.start, middle, self.categories),
                    SubWindow(middle + timedelta(days=1), self.end, self.categories)]
        if len(self.categories) > 1:
            half = len(self.categories) // 2
            return [SubWindow(self.start, self.end, self.categories[:half]),
                    SubWindow(self.start, self.end, self.categories[half:])]
        low, high = self.number_from or 1, self.number_to or max_number
        if low >= high:
            return []
        middle = (low + high) // 2
        return [
            SubWindow(self.start, self.end, self.categories, low, middle),
            SubWindow(self.start, self.end, self.categories, middle + 1, high),
        ]


@dataclass(frozen=True)
class SplitOnOverflow:
    """A POST whose body names the whole window: dates, the categories asked for and a record-number range.
    When the API refuses the window as too large (the SPLIT rule), it is split and retried piece by piece
    (dates, then categories, then numbers); fails when nothing is left to split. The categories are the
    connection's `categories_option` when given, else every key of the `categories_from` endpoint."""

    start: str
    end: str
    categories: str
    number_from: str
    number_to: str
    categories_from: str
    categories_option: str | None = None
    max_number: int = 999_999_999
    repage = False

    def body(self, window: SubWindow) -> dict[str, Any]:
        return {
            self.categories: list(window.categories),
            self.number_from: window.number_from,
            self.number_to: window.number_to,
            self.start: window.start.isoformat(),
            self.end: window.end.isoformat(),
        }

    async def run(self, ctx: PageContext) -> None:
        chosen = ctx.connection.options.get(self.categories_option) if self.categories_option else None
        categories = chosen or tuple(await ctx.keys_of(self.categories_from))
        if not categories:
            return
        pending = [SubWindow(ctx.partition.window_start, ctx.partition.window_end, tuple(categories))]
        while pending:
            window = pending.pop(0)
            page = await ctx.fetch(json=self.body(window))
            if page.split:
                pieces = window.split(self.max_number)
                if not pieces:
                    ctx.fail_window_too_large(page, self.body(window))
                pending[:0] = pieces
