"""A kit for driving the real engine against small fake APIs written inside a test, with no network.

The engine opens its own client (`pipeline.extract.http.make_client`); the `serve` fixture (conftest.py) swaps
it for one whose transport is an `httpx.MockTransport` calling a `FakeApi`, so every request goes through the
real Requester (auth headers, rules, retries, redaction), the real paginators and the real landing.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import yaml

from pipeline.config import RetryPolicy, Settings, load_settings
from pipeline.extract.auth import AuthStrategy, HeaderAuth
from pipeline.extract.engine import ExtractResult, RunCache, extract_partition, records_of
from pipeline.extract.model import Endpoint, Source, endpoints
from pipeline.extract.partitions import Partition

TINY_WAITS = RetryPolicy(attempts=4, initial_wait=0.001, max_wait=0.002, max_retry_after=0.01, timeout=5.0)
BASE_URL = "https://api.example.test/v1"
API_KEY = "key-7f3a-s3cret-d00d"  # what FAKE_API_KEY holds: must never appear in an error message
FEBRUARY = Partition("2025-02", date(2025, 2, 1), date(2025, 2, 28))
SNAPSHOT = Partition("2025-06-30", snapshot_date=date(2025, 6, 30))

Answer = Callable[[httpx.Request], Any]  # returns an httpx.Response, or an awaitable of one; may raise


def fake_source(*items: Endpoint, auth: dict[str, AuthStrategy] | None = None, **fields: Any) -> Source:
    """A source named `fake` with the given endpoints; a bearer API key unless told otherwise."""
    return Source(name="fake", auth=auth or {"key": HeaderAuth({"Authorization": "Bearer {api_key}"})},
                  endpoints=endpoints(*items), **fields)


def settings_for(tmp_path: Path, source: Source, *, auth: dict[str, Any] | None = None,
                 env: dict[str, str] | None = None, retry: RetryPolicy = TINY_WAITS, **keys: Any) -> Settings:
    """A connections file with one connection `shop` of `source`, loaded and validated as production does,
    landing under tmp_path/raw, with tiny retry waits."""
    connection = {"name": "shop", "source": source.name, "base_url": BASE_URL, "currency": "USD",
                  "auth": auth or {"api_key_env": "FAKE_API_KEY"}, **keys}
    path = tmp_path / "connections.yaml"
    path.write_text(yaml.safe_dump({"start_date": "2025-01-01", "timezone": "UTC", "connections": [connection]}))
    environ = {"FAKE_API_KEY": API_KEY, **(env or {}), "PIPELINE_RAW_DIR": str(tmp_path / "raw"),
               "PIPELINE_WAREHOUSE": str(tmp_path / "warehouse.duckdb")}
    return replace(load_settings(path, environ, sources={source.name: source}), retry=retry)


def extract(settings: Settings, source: Source, endpoint: str, partition: Partition = SNAPSHOT,
            run_id: str = "run1", cache: RunCache | None = None) -> ExtractResult:
    return extract_partition(settings, source, settings.connections[0], endpoint, partition, run_id, cache=cache)


class FakeApi:
    """Wraps an answer function and keeps every request it was sent (and when), for the test to inspect."""

    def __init__(self, answer: Answer):
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.times.append(time.monotonic())
        reply = self.answer(request)
        if inspect.isawaitable(reply):
            reply = await reply
        return reply

    def to(self, path: str) -> list[httpx.Request]:
        return [request for request in self.requests if request.url.path.endswith(path)]

    def pages(self, name: str = "page") -> list[int]:
        return [int(request.url.params[name]) for request in self.requests if name in request.url.params]


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None,
          content: bytes | None = None) -> httpx.Response:
    data = content if content is not None else b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, content=data, headers={"Content-Type": "application/json", **(headers or {})})


@dataclass
class PagedList:
    """A page-number list API over `items`: `page` and `per_page` query parameters, the records under `data`,
    and `meta` saying the stated total (`stated`, else the real length), the page count (`states_pages`) and
    whether more follow (`states_has_next`). `cap` silently serves fewer records per page than asked for."""

    items: list[dict[str, Any]]
    cap: int | None = None
    states_pages: bool = True
    states_has_next: bool = False
    stated: int | None = None
    served: list[int] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        number, size = int(request.url.params["page"]), int(request.url.params["per_page"])
        size = min(size, self.cap) if self.cap else size
        self.served.append(number)
        meta: dict[str, Any] = {"total": len(self.items) if self.stated is None else self.stated}
        if self.states_pages:
            meta["total_pages"] = -(-len(self.items) // size)
        if self.states_has_next:
            meta["has_next"] = number * size < len(self.items)
        return reply({"data": self.items[(number - 1) * size:number * size], "meta": meta})


def numbered(count: int, prefix: str = "r") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{index}", "amount": f"{index}.50"} for index in range(count)]


def manifest(result: ExtractResult) -> dict[str, Any]:
    return json.loads((result.run_dir / "_manifest.json").read_text())


def landed(result: ExtractResult, records: str | None = "data") -> list[Any]:
    """Every record of every landed page, in page order."""
    found: list[Any] = []
    for page in manifest(result)["pages"]:
        found.extend(records_of(json.loads((result.run_dir / page["file"]).read_bytes()), records))
    return found


def landed_keys(result: ExtractResult, key: str = "id", records: str | None = "data") -> list[Any]:
    return [record[key] for record in landed(result, records)]
