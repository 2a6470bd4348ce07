"""Measure the simulator: pages/s over loopback with a concurrent httpx client, and generation time + peak
RSS of a full pass over every record at a large scale.

    .venv/bin/python -m pipeline.simulator.measure pages --seconds 10 --concurrency 16
    .venv/bin/python -m pipeline.simulator.measure generate --scale 150 --today 2026-11-21
"""

import argparse
import asyncio
import os
import resource
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx

from . import generator as gen
from .tenants import tenants_of
from .world import World

TARGETS = {
    "arrendasoft": ("/arrendasoft/arriendos/service/v2/public/invoices/list", "page_size",
                    {"Authorization": "Bearer arr-fixed-token-6f1b93"}),
    "smartpyme": ("/smartpyme/api/external/v1/sales", "per_page", {"Authorization": "Bearer spy-tienda-5e8d21c9f0"}),
}


async def _httpx_pages(url: str, seconds: float, concurrency: int, target: str, pages: int) -> int:
    path, size_param, headers = TARGETS[target]
    done = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(offset: int) -> None:
            nonlocal done
            page = offset
            while time.monotonic() < deadline:
                response = await client.get(path, headers=headers, params={"page": page % pages + 1, size_param: 100})
                response.raise_for_status()
                done += 1
                page += concurrency

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return done


async def _plain_pages(port: int, seconds: float, concurrency: int, target: str, pages: int) -> int:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams (far less client CPU per request than httpx)."""
    path, size_param, headers = TARGETS[target]
    header_text = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    done = 0
    deadline = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        page = offset
        while time.monotonic() < deadline:
            writer.write(f"GET {path}?page={page % pages + 1}&{size_param}=100 HTTP/1.1\r\nHost: sim\r\n"
                         f"{header_text}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head[:80])
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            await reader.readexactly(length)
            done += 1
            page += concurrency
        writer.close()

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return done


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_pages(seconds: float, concurrency: int, scale: float, target: str) -> dict:
    """Serve from a separate process (so client and server do not share a GIL), then drive it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = ("from datetime import date; from pipeline.simulator.server import serve; "
            f"serve(port={port}, scale={scale}, today=date(2025, 6, 30))")
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/_control/health")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        path, size_param, headers = TARGETS[target]
        first = httpx.get(url + path, headers=headers, params={size_param: 100}).json()
        pagination = first["pagination"]
        pages = pagination.get("total_pages") or 1
        asyncio.run(_plain_pages(port, 1.0, concurrency, target, pages))  # warm the caches
        results = {"target": f"{target} {path} with {size_param}=100", "distinct_pages": pages,
                   "concurrency": concurrency, "scale": scale}
        for name, run in (("plain_asyncio_client", lambda: _plain_pages(port, seconds, concurrency, target, pages)),
                          ("httpx_async_client", lambda: _httpx_pages(url, seconds, concurrency, target, pages))):
            cpu0, started = _cpu_seconds(server.pid), time.monotonic()
            done = asyncio.run(run())
            elapsed, cpu = time.monotonic() - started, _cpu_seconds(server.pid) - cpu0
            results[name] = {"pages": done, "pages_per_s": round(done / elapsed),
                             "server_cpu_ms_per_page": round(1000 * cpu / max(done, 1), 3)}
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure_generation(scale: float, today: date) -> dict:
    world = World(seed=42, scale=scale, today=today)
    started = time.monotonic()
    counts: dict[str, int] = {}
    for source, entity in gen.DATED_ENTITIES:
        for tenant in tenants_of(source):
            lines_key = {"smartpyme": "detalles", "serpi": "detalles", "troyansys": "lines"}.get(source)
            for k in range(world.last_index() + 1):
                for rec in world.day_entry(source, tenant.name, entity, k).records:
                    counts[f"{source}.{entity}"] = counts.get(f"{source}.{entity}", 0) + 1
                    if lines_key and entity in ("sales", "documents"):
                        counts[f"{source}.{entity}.lines"] = counts.get(f"{source}.{entity}.lines", 0) + len(
                            rec.get(lines_key) or [])
    elapsed = time.monotonic() - started
    summary_started = time.monotonic()
    world.select("smartpyme", "tienda_sv", "sales")
    select_elapsed = time.monotonic() - summary_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scale": scale, "days": world.last_index() + 1, "records": counts,
            "generation_s": round(elapsed, 1), "full_range_select_s": round(select_elapsed, 1),
            "peak_rss_mb": round(peak_mb)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    pages = sub.add_parser("pages")
    pages.add_argument("--seconds", type=float, default=10)
    pages.add_argument("--concurrency", type=int, default=16)
    pages.add_argument("--scale", type=float, default=1)
    pages.add_argument("--target", choices=("arrendasoft", "smartpyme"), default="arrendasoft")
    generate = sub.add_parser("generate")
    generate.add_argument("--scale", type=float, default=150)
    generate.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 21))
    args = parser.parse_args()
    if args.what == "pages":
        print(measure_pages(args.seconds, args.concurrency, args.scale, args.target))
    else:
        print(measure_generation(args.scale, args.today))


if __name__ == "__main__":
    main()
