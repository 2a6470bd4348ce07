"""`make bench`: run the scenarios against the simulators, write bench/results/<scenario>.json and
bench/results/README.md (one markdown table). Never part of `make test`.

    .venv/bin/python -m bench.run                 # everything, 3 repeats (about 1 h 45 min on 2 shared cores)
    .venv/bin/python -m bench.run --quick         # small scales, 1 repeat, into bench/results/quick (~11 min)
    .venv/bin/python -m bench.run --scenarios extraction,dlt --scale 30 --repeat 5
    .venv/bin/python -m bench.run --scenarios extraction,dlt,load --endpoints arrendasoft/invoices \
        --scale 300 --results bench/results/arrendasoft-scale300
    .venv/bin/python -m bench.run --scenarios endtoend,incremental   # about 40 min
    .venv/bin/python -m bench.run --rebuild       # recompute tables from stored samples, no measuring

The extraction family (extraction, dlt, load) and the warehouse family (transform, noop, memory) each start
their own simulator subprocess; see scenarios.py for what each measures. The end-to-end family (endtoend,
incremental) starts one simulator per scale; see endtoend.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import endtoend, results, scenarios
from bench.dlt_env import dlt_version, ensure_dlt_venv
from bench.simulator import REPO

SCENARIOS = ("extraction", "dlt", "load", "transform", "noop", "memory", "endtoend", "incremental")
EXTRACTION_FAMILY = {"extraction", "dlt", "load"}
WAREHOUSE_FAMILY = {"transform", "noop", "memory"}
ENDTOEND_FAMILY = {"endtoend", "incremental"}
# Scale 50 over 2025: ~36,000 SmartPyme sales per tenant, long enough to time at 50 ms latency.
# Scale 260 over 2025: >= 1,000,000 SmartPyme sale lines and >= 1,000,000 SERPI journal lines in total.
# endtoend: SmartPyme sales + Arrendasoft invoices over 2025 are about 2,010 x scale records: scale 38 is
# 76,338 (the issue's ~77,000), scale 190 is 384,558 (5x). incremental: history scales H and 10 x H.
FULL = {"scale": 50.0, "big_scale": 260.0, "repeat": 3, "endtoend_scales": "38,190", "incremental_scales": "5,50"}
QUICK = {"scale": 2.0, "big_scale": 2.0, "repeat": 1, "endtoend_scales": "1,5", "incremental_scales": "1,10"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small scales, 1 repeat, results in bench/results/quick (about 11 minutes)",
    )
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated subset of {SCENARIOS}"
    )
    parser.add_argument("--scale", type=float, help="simulator scale of the extraction scenarios")
    parser.add_argument("--big-scale", type=float, help="simulator scale of transform/noop/memory")
    parser.add_argument(
        "--endtoend-scales", help="endtoend: comma-separated simulator scales (default 38,190; --quick 1,5)"
    )
    parser.add_argument(
        "--incremental-scales", help="incremental: history scales H,10H (default 5,50; --quick 1,10)"
    )
    parser.add_argument("--repeat", type=int, help="samples per contender (default 3; --quick 1)")
    parser.add_argument(
        "--endpoints",
        default=",".join(scenarios.EXTRACTION_ENDPOINTS),
        help="extraction family: comma-separated subset of the measured endpoints",
    )
    parser.add_argument("--latencies", default="0,50", help="simulated latencies in ms (fault latency_ms)")
    parser.add_argument(
        "--dlt-file-format",
        default="jsonl",
        choices=("jsonl", "default"),
        help="dlt loader files: jsonl, or dlt's default for DuckDB (insert_values: far slower)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="recompute the chosen scenarios' tables from their stored samples, no measuring",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="where results go (default bench/results; with --quick bench/results/quick)",
    )
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work", help="scratch space")
    args = parser.parse_args(argv)
    chosen = tuple(name.strip() for name in args.scenarios.split(",") if name.strip())
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {SCENARIOS}")
    args.scenarios = chosen
    wrong = {e.strip() for e in args.endpoints.split(",")} - set(scenarios.EXTRACTION_ENDPOINTS)
    if wrong:
        parser.error(f"unknown endpoints {sorted(wrong)}; choose from {scenarios.EXTRACTION_ENDPOINTS}")
    defaults = QUICK if args.quick else FULL
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    for key in ("endtoend_scales", "incremental_scales"):
        setattr(args, key, tuple(float(v) for v in getattr(args, key).split(",") if v.strip()))
    return args


def log(text: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {text}", flush=True)


def rebuild(args: argparse.Namespace) -> int:
    """Rewrite the chosen scenarios' JSON files and the README from their stored samples (no measuring)."""
    import json

    for family, rebuilder in (
        (EXTRACTION_FAMILY, scenarios.rebuild_extraction_family),
        (WAREHOUSE_FAMILY, scenarios.rebuild_warehouse_family),
        (ENDTOEND_FAMILY, endtoend.rebuild_endtoend_family),
    ):
        stored = [
            json.loads((results.RESULTS / f"{name}.json").read_text())
            for name in sorted(family)
            if (results.RESULTS / f"{name}.json").exists()
        ]
        if not stored or not family & set(args.scenarios):
            continue
        for result in rebuilder(stored, args.scenarios):
            document = next(doc for doc in stored if doc["scenario"] == result.name)
            common = {
                key: document[key]
                for key in ("mode", "repeat", "scale", "big_scale", "today", "dlt_version", "dlt_file_format")
                if key in document
            }
            log(f"rewrote {results.write_scenario(result, common, document['date'])}")
    log(f"wrote {results.write_readme(SCENARIOS, 'python -m bench.run --rebuild')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.work.mkdir(parents=True, exist_ok=True)
    default_results = results.RESULTS / "quick" if args.quick else results.RESULTS
    results.use_results_dir(args.results or default_results)
    wants_dlt = {"dlt", "endtoend"} & set(args.scenarios)
    dlt_python = ensure_dlt_venv() if wants_dlt and not args.rebuild else None
    bench = scenarios.Bench(
        work=args.work,
        scale=args.scale,
        big_scale=args.big_scale,
        repeat=args.repeat,
        latencies=tuple(int(v) for v in args.latencies.split(",")),
        scenarios=args.scenarios,
        dlt_python=dlt_python,
        dlt_file_format=args.dlt_file_format,
        log=log,
        endpoints=tuple(e.strip() for e in args.endpoints.split(",") if e.strip()),
    )
    common = {
        "mode": "quick" if args.quick else "full",
        "repeat": args.repeat,
        "scale": args.scale,
        "big_scale": args.big_scale,
        "today": scenarios.TODAY.isoformat(),
        "dlt_version": dlt_version(dlt_python) if dlt_python else None,
        "dlt_file_format": args.dlt_file_format,
    }
    started, done = time.monotonic(), []
    if args.rebuild:
        return rebuild(args)
    if EXTRACTION_FAMILY & set(args.scenarios):
        log(f"extraction family at scale {args.scale}: {sorted(EXTRACTION_FAMILY & set(args.scenarios))}")
        done += scenarios.measure_extraction_family(bench)
    if WAREHOUSE_FAMILY & set(args.scenarios):
        log(f"warehouse family at scale {args.big_scale}: {sorted(WAREHOUSE_FAMILY & set(args.scenarios))}")
        done += scenarios.measure_warehouse_family(bench)
    if ENDTOEND_FAMILY & set(args.scenarios):
        log(
            f"end-to-end family, scales {args.endtoend_scales} / {args.incremental_scales}: "
            f"{sorted(ENDTOEND_FAMILY & set(args.scenarios))}"
        )
        done += endtoend.measure_endtoend_family(bench, args.endtoend_scales, args.incremental_scales)
    for result in done:
        log(f"wrote {results.write_scenario(result, common)}")
    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    log(f"wrote {results.write_readme(SCENARIOS, command.strip())} after {time.monotonic() - started:.0f} s")
    print(results.markdown_table(done))
    return 1 if any(result.failures for result in done) else 0


if __name__ == "__main__":
    sys.exit(main())
