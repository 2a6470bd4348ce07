"""Measure SmartPyme extraction speed against the simulator (outside `make bench`; run by hand):

    .venv/bin/python -m bench.smartpyme --scale 50 --latency-ms 0 --months 6

The simulator runs in its own process (bench.simulator), so client and server do not share a GIL. One
connection's sales are extracted twice, month after month: cold (the simulator generates its data lazily),
then warm; each line gives records and pages per second and the client's CPU time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.simulator import Simulator
from pipeline.config import Connection, Settings
from pipeline.extract.partitions import Partition, month_keys, plan
from pipeline.sources import extract, load_settings

TODAY = date(2025, 6, 30)
KEY = "spy-tienda-5e8d21c9f0"  # simulator-only demo credential (pipeline/demo/demo.env)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.smartpyme", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=20)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=4)
    return parser.parse_args()


def connections_file(path: Path, url: str, concurrency: int) -> Path:
    path.write_text(f"start_date: 2025-01-01\nconnections:\n  - name: tienda_sv\n    source: smartpyme\n"
                    f"    base_url: {url}/smartpyme/api/external/v1\n    currency: USD\n"
                    f"    max_concurrency: {concurrency}\n    auth: {{api_key_env: K}}\n")
    return path


def main() -> None:
    args = parse_args()
    first = date(2025, 7 - args.months, 1)
    months = plan(month_keys(first, TODAY), first, TODAY, TODAY)
    with Simulator(args.scale, TODAY) as simulator, tempfile.TemporaryDirectory() as tmp:
        if args.latency_ms:
            simulator.set_faults({"latency_ms": args.latency_ms, "source": "smartpyme"})
        path = connections_file(Path(tmp) / "connections.yaml", simulator.url, args.concurrency)
        settings = load_settings(path, environ={"K": KEY, "PIPELINE_RAW_DIR": f"{tmp}/raw"})
        connection = settings.connection("tienda_sv")
        measure(settings, connection, months, "cold (the simulator generates data lazily)")
        measure(settings, connection, months,
                f"scale={args.scale} latency_ms={args.latency_ms} concurrency={args.concurrency}")


def measure(settings: Settings, connection: Connection, partitions: list[Partition], label: str) -> None:
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
