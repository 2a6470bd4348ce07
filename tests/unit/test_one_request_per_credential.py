"""A serialized source (SERPI: a token serves one request at a time) never has two requests in flight per
credential: not within a run, and not across runs going on at once (CredentialGate, an OS file lock)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from pipeline.extract.engine import extract_partition
from pipeline.extract.model import Endpoint
from pipeline.extract.paginators import PageNumber

from .fakes import SNAPSHOT, PagedList, fake_source, numbered, settings_for


class Counting:
    """Serves a paged list slowly and records the most requests it ever had in flight at once (the engine's
    runs each have their own thread and event loop)."""

    def __init__(self) -> None:
        self.items, self.lock, self.in_flight, self.most = PagedList(numbered(9)), threading.Lock(), 0, 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0.004)
        with self.lock:
            self.in_flight -= 1
        return self.items(request)


def two_runs_at_once(tmp_path, serve, serialized: bool) -> Counting:
    pages = PageNumber(size_value=3, total_pages="meta.total_pages")
    source = fake_source(Endpoint("a", path="/a", records="data", key="id", paginator=pages),
                         Endpoint("b", path="/b", records="data", key="id", paginator=pages), serialized=serialized)
    settings = settings_for(tmp_path, source, max_concurrency=4)
    api = Counting()
    recorded = serve(api)
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(extract_partition, settings, source, settings.connections[0], endpoint, SNAPSHOT, run)
                for endpoint, run in (("a", "run1"), ("b", "run2"))]
        assert [run.result().unique_records for run in runs] == [9, 9]
    assert len(recorded.requests) == 6
    return api


def test_a_serialized_source_sends_one_request_at_a_time_per_credential_across_runs(tmp_path, serve):
    assert two_runs_at_once(tmp_path, serve, serialized=True).most == 1


def test_a_source_that_is_not_serialized_sends_requests_in_parallel(tmp_path, serve):
    assert two_runs_at_once(tmp_path, serve, serialized=False).most > 1
