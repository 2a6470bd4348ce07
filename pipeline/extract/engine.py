"""The engine: runs one source description over one partition of one endpoint for one connection, and lands
what it receives.

Pages are landed as they arrive (never a whole run in memory). Only primary keys are kept, to count the unique
records and compare them with what the API said there were when paging started. Pages shift while a shop
sells during the run, so a shortfall pages the partition again, a bounded number of times (every pass lands
into the same run; staging collapses the repeats). When a further pass finds no key the earlier ones missed,
the gap is the API's count disagreeing with its own pages: a finding (`mismatch` in the manifest), not a
failure. Only when passes keep finding missing keys and still cannot land them all does extraction fail.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.config import Connection, Settings
from pipeline.extract import errors
from pipeline.extract.auth import CredentialGate, LoginTokens, NoGate
from pipeline.extract.http import Requester, make_client
from pipeline.extract.model import Endpoint, Source
from pipeline.extract.paginators import Page
from pipeline.extract.partitions import Partition
from pipeline.extract.paths import dig
from pipeline.extract.reported import Tracker
from pipeline.extract.responses import Action, Reply
from pipeline.landing.pages import RunWriter

log = logging.getLogger(__name__)

OnPage = Callable[[int, int], None]
MAX_PASSES = 4  # the first pass and at most three more while records keep turning up


@dataclass
class ExtractResult:
    records: int
    unique_records: int
    pages: int
    bytes: int
    retries: int
    duration_s: float
    reported: dict[str, Any]
    mismatch: str | None
    run_dir: Path
    passes: int = 1


@dataclass
class _Totals:
    records: int = 0
    pages: int = 0
    bytes: int = 0
    keys: set = field(default_factory=set)
    entries: list = field(default_factory=list)


def records_of(body: Any, path: str | None) -> list[Any]:
    value = body if path is None else dig(body, path)
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) and value else []


def _without_records(body: Any, path: str | None) -> Any:
    """The body with the list at `path` left out: what a paginator reads besides the records."""
    if path is None or not isinstance(body, dict) or "." in path:
        return body if path is not None and "." in path else None
    return {key: value for key, value in body.items() if key != path}


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)


@dataclass
class RunCache:
    """What the partitions of one run share, kept by whoever runs them (the Dagster extraction step, one for all
    the partitions it extracts): login tokens, so a connection logs in once per run, and the keys `keys_of`
    looked up on other endpoints, by (connection, endpoint), so each is paged once per run."""

    tokens: LoginTokens = field(default_factory=LoginTokens)
    keys: dict[tuple[str, str], list[Any]] = field(default_factory=dict)


class PageFetcher:
    """The PageContext a paginator drives (pipeline.extract.paginators), for one pass over one endpoint: sends,
    classifies, lands, counts."""

    def __init__(self, run: _Run, endpoint: Endpoint, requester: Requester, tracker: Tracker, land: bool = True):
        self.run, self.endpoint, self.requester, self.tracker, self.land = run, endpoint, requester, tracker, land
        self.connection: Connection = run.connection
        self.partition: Partition = run.partition
        self.collected: list[Any] = []
        self.keys: set = set()

    def _window_params(self) -> dict[str, Any]:
        window, partition = self.endpoint.window, self.partition
        if window is None or window.in_body or partition.window_start is None:
            return {}
        return {window.start: partition.window_start.isoformat(), window.end: partition.window_end.isoformat()}

    async def fetch(self, params: dict[str, Any] | None = None, json: Any = None) -> Page:
        endpoint = self.endpoint
        query = {**endpoint.params, **self._window_params(), **(params or {})} if endpoint.method == "GET" else None
        path = endpoint.path_for(self.connection)
        async with self.run.slots:
            outcome = await self.requester.send(endpoint.method, path, params=query, json=json)
        reply = outcome.reply
        if outcome.action is Action.SPLIT:
            return Page(split=True, reply=reply)
        request = json if json is not None else query or {}
        if outcome.action is Action.EMPTY:
            self.tracker.observe(reply.content, None, request)
            return Page(reply=reply)
        body = reply.json()
        self.tracker.observe(reply.content, body, request)
        records = records_of(body, endpoint.records)
        if records:
            await self._keep(records, reply, request, outcome)
        return Page(count=len(records), body=body, reply=reply)

    async def _keep(self, records: list[Any], reply: Reply, request: dict, outcome: Any) -> None:
        key = self.endpoint.key
        if not self.land:
            self.collected.extend(r.get(key) if key and isinstance(r, dict) else r for r in records)
            return
        landed = await asyncio.to_thread(self.run.writer.land_page, reply.content)
        totals = self.run.totals
        totals.records += len(records)
        totals.pages += 1
        totals.bytes += landed.bytes
        if key:
            self.keys.update(_hashable(r.get(key)) if isinstance(r, dict) else None for r in records)
        totals.entries.append({
            "page": landed.page, "file": landed.file, "url_path": urlsplit(reply.url).path, "params": request,
            "status": reply.status, "bytes": landed.bytes, "sha256": landed.sha256, "records": len(records),
            "elapsed_ms": outcome.elapsed_ms, "attempts": outcome.attempts, "pass": self.run.pass_number,
        })
        if self.run.on_page:
            self.run.on_page(totals.pages, totals.records)

    async def fetch_all(self, params_list: list[dict[str, Any]]) -> list[Page]:
        """Fetch many pages at once, at most the connection's concurrency in flight; the first failure
        cancels the rest and is raised as itself. Returns what each page said about the list (its count and
        the body's small fields, not its records): a task keeps its result until the last page is in, and a
        page's records are landed already (holding every body of a 175,000-invoice snapshot left the process
        180 MiB larger after the extraction)."""

        async def count(params: dict[str, Any]) -> Page:
            page = await self.fetch(params=params)
            return Page(count=page.count, body=_without_records(page.body, self.endpoint.records))

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(count(params)) for params in params_list]
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return [task.result() for task in tasks]

    async def keys_of(self, endpoint_name: str) -> list[Any]:
        """Page through another endpoint of the same source without landing it; return its keys. Looked up
        once per connection and run: every monthly partition needs the same list, and a serialized API
        serves one request at a time."""
        seen, known = (self.connection.name, endpoint_name), self.run.cache.keys
        if seen in known:
            return known[seen]
        other = self.run.source.endpoints[endpoint_name]
        requester = self.run.requester_for(other)
        context = PageFetcher(self.run, other, requester, other.reported.tracker(), land=False)
        await other.paginator.run(context)
        return known.setdefault(seen, list(dict.fromkeys(context.collected)))

    def fail_window_too_large(self, page: Page, request: dict[str, Any]) -> None:
        reply = page.reply
        raise errors.WindowTooLarge(
            self.connection.name, self.requester.label, status=reply.status if reply else None,
            url=self.requester.redact(reply.url if reply else ""),
            reason=f"window {self.requester.redact(str(request))} is too large and cannot be split further",
        )


@dataclass
class _Pass:
    number: int
    unique_after: int
    new_keys: int
    expected: int | None
    reason: str = ""


class _Run:
    def __init__(self, settings: Settings, source: Source, connection: Connection, endpoint_name: str,
                 partition: Partition, run_id: str, on_page: OnPage | None, cache: RunCache):
        self.settings, self.source, self.connection = settings, source, connection
        self.partition, self.on_page, self.run_id, self.cache = partition, on_page, run_id, cache
        self.endpoint = source.endpoints[endpoint_name]
        self.label = f"{source.name}/{self.endpoint.name}"
        self.session = source.strategy(connection).session(connection, cache.tokens)
        self.gate = CredentialGate(Path(settings.raw_dir) / ".locks", source.name, connection) \
            if source.serialized else NoGate()
        self.totals = _Totals()
        self.keys: set = set()
        self.passes: list[_Pass] = []
        self.pass_number = 0
        self.slots = asyncio.Semaphore(connection.concurrency)
        self.client: Any = None
        self.requesters: list[Requester] = []
        self.writer: RunWriter | None = None

    def requester_for(self, endpoint: Endpoint) -> Requester:
        option = self.source.endpoint_option
        hint = (f"if {self.connection.name} does not contract {endpoint.name}, leave it out of `{option}:` "
                "for this connection in the connections file") if option else ""
        requester = Requester(self.client, self.connection, f"{self.source.name}/{endpoint.name}", self.session,
                              self.settings.retry, (*endpoint.rules, *self.source.rules), self.gate, hint)
        self.requesters.append(requester)
        return requester

    async def one_pass(self, requester: Requester) -> tuple[dict[str, Any], int | None, bool]:
        """Page through the partition once; returns what the API reported, the count it stated when the pass
        started, and whether that count moved during the pass."""
        self.pass_number += 1
        tracker = self.endpoint.reported.tracker()
        context = PageFetcher(self, self.endpoint, requester, tracker)
        await self.endpoint.paginator.run(context)
        new = len(context.keys - self.keys)
        self.keys |= context.keys
        expected = tracker.expected()
        self.passes.append(_Pass(self.pass_number, self._unique(), new, expected))
        return tracker.result(), expected, tracker.moved()

    async def extract(self) -> tuple[dict[str, Any], str | None]:
        """Page until every record the API stated at the start of the first pass is landed. A pass during
        which the stated count moved (records created or removed while it was read) may have missed records
        that shifted between pages, so the partition is paged again, until a pass sees a steady list or
        finds no key the earlier passes missed. Returns what the API reported and the finding, if any."""
        requester = self.requester_for(self.endpoint)
        reported, at_start, moved = await self.one_pass(requester)
        if not self.endpoint.paginator.repage or at_start is None or not self.endpoint.key:
            unique = self._unique()
            return reported, None if at_start is None or unique == at_start else self._disagreement(at_start)
        while moved or self._unique() < at_start:
            last = self.passes[-1]
            if len(self.passes) > 1 and last.new_keys == 0:
                break  # converged: what is still missing, the API counted but does not list
            if len(self.passes) >= MAX_PASSES:
                if self._unique() >= at_start:
                    break  # a busy list: records kept coming, and as many as there were at the start landed
                raise errors.Incomplete(
                    self.connection.name, self.label, reason=(
                        f"partition {self.partition.key}: the API reported {at_start} records when paging "
                        f"started; {self._unique()} unique landed after {len(self.passes)} passes, and each "
                        "pass still found records the earlier ones missed"),
                    hint="the API's pages keep shifting; run again later")
            last.reason = (f"the list changed while it was read ({last.expected} records stated when the pass "
                           "started): paging again") if moved else (
                           f"{self._unique()} unique records of {at_start} stated when paging started: paging again")
            log.info("%s %s %s: %s", self.connection.name, self.label, self.partition.key, last.reason)
            reported, _, moved = await self.one_pass(requester)
        return reported, None if self._unique() >= at_start else self._disagreement(at_start)

    def _disagreement(self, at_start: int) -> str:
        more = " (a further pass found no record the earlier ones missed)" if len(self.passes) > 1 else ""
        return f"landed {self._unique()} unique records, the API reported {at_start}{more}"

    async def execute(self) -> ExtractResult:
        started, started_at = time.monotonic(), _utcnow()
        self.writer = RunWriter(self.settings.raw_dir, self.source.name, self.endpoint.name, self.connection.name,
                                self.partition.key, self.run_id)
        try:
            async with make_client(self.connection, self.settings.retry) as self.client:
                reported, mismatch = await self.extract()
        except BaseException:
            self.writer.abandon()
            raise
        run_dir = self.writer.finish(self._manifest(started_at, reported, mismatch))
        return ExtractResult(
            records=self.totals.records, unique_records=self._unique(), pages=self.totals.pages,
            bytes=self.totals.bytes, retries=sum(r.retries for r in self.requesters),
            duration_s=round(time.monotonic() - started, 3), reported=reported, mismatch=mismatch,
            run_dir=run_dir, passes=len(self.passes),
        )

    def _unique(self) -> int:
        return len(self.keys) if self.endpoint.key else self.totals.records

    def _manifest(self, started_at: str, reported: dict[str, Any], mismatch: str | None) -> dict[str, Any]:
        partition = self.partition
        return {
            "source": self.source.name, "endpoint": self.endpoint.name, "tenant": self.connection.name,
            "partition_key": partition.key,
            "window_start": partition.window_start.isoformat() if partition.window_start else None,
            "window_end": partition.window_end.isoformat() if partition.window_end else None,
            "snapshot_date": partition.snapshot_date.isoformat() if partition.snapshot_date else None,
            "run_id": self.run_id, "started_at": started_at, "finished_at": _utcnow(),
            "pages": sorted(self.totals.entries, key=lambda entry: entry["page"]),
            "records": self.totals.records, "unique_records": self._unique(), "reported": reported,
            "passes": [vars(one) for one in self.passes],
            "complete": True, "mismatch": mismatch,
        }


def _utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


async def extract_partition_async(settings: Settings, source: Source, connection: Connection, endpoint_name: str,
                                  partition: Partition, run_id: str, on_page: OnPage | None = None,
                                  cache: RunCache | None = None) -> ExtractResult:
    run = _Run(settings, source, connection, endpoint_name, partition, run_id, on_page, cache or RunCache())
    result = await run.execute()
    log.info("%s %s %s: %d records (%d unique) in %d pages, %d passes, %d retries, %.2fs%s", connection.name,
             run.label, partition.key, result.records, result.unique_records, result.pages, result.passes,
             result.retries, result.duration_s, f"; mismatch: {result.mismatch}" if result.mismatch else "")
    return result


def extract_partition(settings: Settings, source: Source, connection: Connection, endpoint_name: str,
                      partition: Partition, run_id: str, on_page: OnPage | None = None,
                      cache: RunCache | None = None) -> ExtractResult:
    """Land one partition (pages, then the manifest). Raises an ExtractionError subclass on failure. The
    partitions of one run share one `cache` (none given: this partition is a run of its own)."""
    coroutine = extract_partition_async(settings, source, connection, endpoint_name, partition, run_id, on_page,
                                        cache)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    return _run_in_thread(coroutine)  # called from inside an event loop: give the coroutine its own


def _run_in_thread(coroutine: Any) -> Any:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
