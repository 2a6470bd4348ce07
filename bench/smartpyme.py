"""Measure SmartPyme extraction speed against the simulator (not a test; run by hand):

    .venv/bin/python -m tests.extract.bench_smartpyme --scale 50 --latency-ms 0 --months 6

The simulator runs in its own process (as `pipeline simulate` would), so client and server do not share a GIL.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
from support import partitions

from pipeline.sources import extract, load_settings

TODAY = date(2025, 6, 30)
KEY = "spy-tienda-5e8d21c9f0"  # simulator-only demo credential (pipeline/demo/demo.env)


def start_server(scale: float) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (f"from datetime import date; from pipeline.simulator.server import serve; "
            f"serve(port={port}, scale={scale}, seed=1, today=date(2025, 6, 30))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/_control/health", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("simulator did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=20)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    proc, url = start_server(args.scale)
    try:
        if args.latency_ms:
            httpx.put(url + "/_control/faults", json={"latency_ms": args.latency_ms, "source": "smartpyme"})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "c.yaml"
            path.write_text(f"start_date: 2025-01-01\nconnections:\n  - name: tienda_sv\n    source: smartpyme\n"
                            f"    base_url: {url}/smartpyme/api/external/v1\n    currency: USD\n"
                            f"    max_concurrency: {args.concurrency}\n    auth: {{api_key_env: K}}\n")
            settings = load_settings(path, environ={"K": KEY, "PIPELINE_RAW_DIR": f"{tmp}/raw"})
            connection = settings.connection("tienda_sv")
            months = partitions(connection, "sales", date(2025, 7 - args.months, 1), TODAY, TODAY)
            run(settings, connection, months, "cold (the simulator generates data lazily)")
            run(settings, replace(connection), months, f"scale={args.scale} latency_ms={args.latency_ms} "
                                                             f"concurrency={args.concurrency}")
    finally:
        proc.terminate()
        proc.wait()


def run(settings, connection, partitions, label: str) -> None:
    started, cpu = time.monotonic(), time.process_time()
    records = pages = size = 0
    for partition in partitions:
        result = extract(settings, connection, "sales", partition, "bench")
        records, pages, size = records + result.records, pages + result.pages, size + result.bytes
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    print(f"{label}: {records} sales in {pages} pages ({size / 1e6:.1f} MB) in {elapsed:.1f}s = "
          f"{records / elapsed:.0f} records/s, {pages / elapsed:.1f} pages/s; client CPU {cpu:.1f}s "
          f"({records / cpu:.0f} records per client CPU second)", flush=True)


if __name__ == "__main__":
    main()
