"""The limit: a bare asyncio httpx client that fetches every page of one endpoint for every tenant, at a
fixed number of requests in flight, parsing each body only to count its records and find the page count.
No landing, no retries, no manifests: what the API can serve to a client doing nothing else.

The same windows as the pipeline: calendar months of [start, end] for SmartPyme sales and SERPI documents,
one snapshot for Arrendasoft invoices. SERPI is serialized by contract: one request in flight per token
(tenants in parallel), and a window refused as too large (503 without Retry-After) is halved.

    python -m bench.limit --connections FILE --endpoint smartpyme/sales --start D --end D --concurrency 4
prints one JSON line: {"records", "pages", "bytes", "seconds"}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from pipeline.config import Connection
from pipeline.sources import load_settings

SMARTPYME_PAGE = 200
ARRENDASOFT_PAGE = 1000
SERPI_TYPES_PAGE = 100
NO_RECORDS = re.compile(rb'^\s*\{\s*"success"\s*:\s*true\s*,\s*"code"\s*:\s*204\b')


@dataclass
class Tally:
    records: int = 0
    pages: int = 0
    bytes: int = 0


def months(start: date, end: date) -> list[tuple[date, date]]:
    windows, first = [], start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        windows.append((max(start, first), min(end, following - timedelta(days=1))))
        first = following
    return windows


class Fetcher:
    """One shared client; a semaphore bounds requests in flight across every tenant and window."""

    def __init__(self, client: httpx.AsyncClient, concurrency: int):
        self.client, self.slots, self.tally = client, asyncio.Semaphore(concurrency), Tally()

    async def get(self, url: str, lock: asyncio.Lock | None = None, **kwargs: Any) -> httpx.Response:
        async with self.slots, lock or contextlib.nullcontext():
            reply = await self.client.request(kwargs.pop("method", "GET"), url, **kwargs)
        self.tally.pages += 1
        self.tally.bytes += len(reply.content)
        return reply

    def count(self, reply: httpx.Response, path: str) -> Any:
        reply.raise_for_status()
        body = orjson.loads(reply.content)
        self.tally.records += len(body[path])
        return body


async def smartpyme_sales(fetcher: Fetcher, conn: Connection, start: date, end: date) -> None:
    headers = {"Authorization": f"Bearer {conn.auth.secret('api_key')}"}
    url = f"{conn.url}/sales"

    async def window(first: date, last: date) -> None:
        params = {
            "fecha_inicio": first.isoformat(),
            "fecha_fin": last.isoformat(),
            "order_by": "created_at",
            "order_direction": "asc",
            "per_page": SMARTPYME_PAGE,
        }
        body = fetcher.count(await fetcher.get(url, params={**params, "page": 1}, headers=headers), "data")
        rest = range(2, body["pagination"]["total_pages"] + 1)
        replies = await asyncio.gather(
            *(fetcher.get(url, params={**params, "page": n}, headers=headers) for n in rest)
        )
        for reply in replies:
            fetcher.count(reply, "data")

    await asyncio.gather(*(window(first, last) for first, last in months(start, end)))


async def arrendasoft_invoices(fetcher: Fetcher, conn: Connection, start: date, end: date) -> None:
    auth = conn.auth
    if auth.mode == "login":
        login = await fetcher.client.post(
            f"{conn.url}/login",
            json={"username": auth.secret("username"), "password": auth.secret("password")},
        )
        token = login.json()["body"]["token"]
    else:
        token = auth.secret("token")
    headers, url = {"Authorization": f"Bearer {token}"}, f"{conn.url}/invoices/list"
    params = {"page_size": ARRENDASOFT_PAGE}
    body = fetcher.count(await fetcher.get(url, params={**params, "page": 1}, headers=headers), "body")
    rest = range(2, body["pagination"]["total_pages"] + 1)
    for reply in await asyncio.gather(
        *(fetcher.get(url, params={**params, "page": n}, headers=headers) for n in rest)
    ):
        fetcher.count(reply, "body")


async def serpi_documents(fetcher: Fetcher, conn: Connection, start: date, end: date) -> None:
    headers = {
        "secretkey": conn.auth.secret("secret_key"),
        "Authorization": f"Bearer {conn.auth.secret('token')}",
    }
    token_lock = asyncio.Lock()  # one request in flight per token: the API's rule
    types, number = [], 1
    while True:
        reply = await fetcher.get(
            f"{conn.url}/DocumentoContable/GetTipoDocumento",
            token_lock,
            headers=headers,
            params={"Límite": SERPI_TYPES_PAGE, "Página": number},
        )
        page = orjson.loads(reply.content)["result"] if reply.status_code == 200 and reply.content else []
        types += [row["id"] for row in page]
        if len(page) < SERPI_TYPES_PAGE:
            break
        number += 1
    url = f"{conn.url}{conn.options['documents_path']}"
    pending = months(start, end)
    while pending:
        first, last = pending.pop(0)
        body = {
            "tiposDocumentos": types,
            "numeroDesde": None,
            "numeroHasta": None,
            "fechaDesde": first.isoformat(),
            "fechaHasta": last.isoformat(),
        }
        reply = await fetcher.get(url, token_lock, method="POST", json=body, headers=headers)
        if reply.status_code == 503 and "retry-after" not in reply.headers and first < last:
            middle = first + timedelta(days=(last - first).days // 2)
            pending[:0] = [(first, middle), (middle + timedelta(days=1), last)]
        elif reply.status_code == 200 and NO_RECORDS.match(reply.content):
            continue  # the documented invalid-JSON no-records body
        elif reply.status_code != 204:
            fetcher.count(reply, "result")


ENDPOINTS = {
    "smartpyme/sales": smartpyme_sales,
    "arrendasoft/invoices": arrendasoft_invoices,
    "serpi/documents": serpi_documents,
}


async def measure(
    connections: list[Connection], endpoint: str, start: date, end: date, concurrency: int
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120, connect=10), limits=limits) as client:
        fetcher = Fetcher(client, concurrency)
        started = time.perf_counter()
        await asyncio.gather(*(ENDPOINTS[endpoint](fetcher, conn, start, end) for conn in connections))
        seconds = time.perf_counter() - started
    tally = fetcher.tally
    return {
        "records": tally.records,
        "pages": tally.pages,
        "bytes": tally.bytes,
        "seconds": round(seconds, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=Path, required=True)
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), required=True)
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--end", type=date.fromisoformat, required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    source = args.endpoint.split("/")[0]
    connections = [c for c in load_settings(args.connections).connections if c.source == source]
    print(
        json.dumps(asyncio.run(measure(connections, args.endpoint, args.start, args.end, args.concurrency)))
    )


if __name__ == "__main__":
    main()
