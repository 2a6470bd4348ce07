"""The end-to-end family: what a user waits for, with one simulator per scale serving SmartPyme sales and
Arrendasoft invoices (only those connections of the demo) at 50 ms latency, window 2025-01-01..2025-12-31.

- `endtoend`: per scale, `repeat` rounds of three contenders in turn (pipeline, dlt, bare), each timed from
  process start to exit: `pipeline run --no-record` (API pages -> published marts, fresh warehouse and
  DAGSTER_HOME each sample); dlt `rest_api` -> DuckDB, both endpoints as parallelized resources of ONE dlt
  pipeline (jsonl loader files: API -> raw tables); the bare httpx client of bench/limit.py for the two
  endpoints at once (two processes side by side; time of the longer, RSS summed). Records are the
  simulator's own count of the window's sales plus every invoice (the invoice list is a snapshot).
- `incremental`: per history scale, one warehouse: a first `pipeline run` of the window (runs are recorded in
  DAGSTER_HOME, the default), then `repeat` times: one day's change at the source (a SmartPyme sale and an
  Arrendasoft invoice of one December day annulled through /_control/mutate, inside the look-back), the
  same run again (incremental), and once more (no-op). Both annulled documents must be `Anulada` in
  marts.fct_sales after the incremental run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bench import procs
from bench.results import Row, ScenarioResult, median, ratio
from bench.scenarios import (
    MIB,
    START,
    TODAY,
    Bench,
    _step,
    pipeline_run,
    run_dlt_spec,
    run_limit,
    served,
)
from bench.simulator import Simulator

ENDPOINTS = ("smartpyme/sales", "arrendasoft/invoices")
SOURCES = tuple(endpoint.split("/")[0] for endpoint in ENDPOINTS)
LATENCY_MS = 50
BARE_CONCURRENCY = 16  # the faster of the extraction family's limits at 50 ms
CONTENDERS = ("pipeline run", "dlt rest_api", f"bare httpx c={BARE_CONCURRENCY}")
# One day's change, inside SmartPyme's 30-day look-back, so the nightly run must see it.
CHANGED = (("smartpyme", "tienda_sv", "sales"), ("arrendasoft", "inmobiliaria_co", "invoices"))
# Whole run's records/s over dlt's, at the first scale (~77k records) and at 5x it.
TARGET_VS_DLT = (2.0, 4.0)
FIRST, INCREMENTAL, NOOP = "pipeline run (first)", "pipeline run (one-day change)", "pipeline run (no-op)"


# ---------------------------------------------------------------- shared set-up


def write_connections(sim: Simulator, path: Path) -> dict[str, str]:
    """The demo connections of SOURCES only, pointed at `sim`; returns the credentials' env vars."""
    credentials = sim.write_connections(path)
    document = yaml.safe_load(path.read_text())
    document["connections"] = [c for c in document["connections"] if c["source"] in SOURCES]
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return credentials


def product_env(bench: Bench, credentials: dict[str, str], connections: Path, work: Path) -> dict[str, str]:
    """Everything `pipeline run` writes, under `work`."""
    return bench.env(
        {
            **credentials,
            "PIPELINE_CONNECTIONS": str(connections),
            "PIPELINE_RAW_DIR": str(work / "raw"),
            "PIPELINE_WAREHOUSE": str(work / "warehouse.duckdb"),
            "PIPELINE_SERVING": str(work / "serving.duckdb"),
            "PIPELINE_REPORT": str(work / "report.html"),
            "DAGSTER_HOME": str(work / "dagster"),
        }
    )


def volume(sim: Simulator) -> dict[str, int]:
    """What the window holds at the source: SmartPyme sales of [START, TODAY] and every invoice."""
    return {
        f"{source}/{entity}": sum(sim.truth(source, c, entity, START, TODAY)["count"] for c in tenants)
        for source, entity, tenants in (
            ("smartpyme", "sales", ("tienda_sv", "ferreteria_sv")),
            ("arrendasoft", "invoices", ("inmobiliaria_co", "arriendos_co")),
        )
    }


def requests_served(sim: Simulator) -> int:
    return sum(served(sim, endpoint) for endpoint in ENDPOINTS)


def warm_up(bench: Bench, env: dict, connections: Path) -> None:
    """The simulator generates lazily: every page once, at no latency, before anything is timed."""
    for endpoint in ENDPOINTS:
        run_limit(bench, env, connections, endpoint, BARE_CONCURRENCY)


def _failed(finished: procs.Finished) -> str:
    """Why a `pipeline run` did not exit 0: its summary (stdout) tail and its stderr tail."""
    stdout = "\n".join(finished.stdout.strip().splitlines()[-15:])
    return f"exit status {finished.returncode}:\n{stdout}\n{finished.tail(10)}"


# ---------------------------------------------------------------- endtoend: the contenders


def run_product(bench: Bench, env: dict, connections: Path) -> dict[str, Any]:
    work = bench.fresh("endtoend-pipeline")
    try:
        finished = pipeline_run(
            product_env(bench, env, connections, work), START, TODAY, TODAY, "--no-record"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if finished.returncode:
        raise RuntimeError(_failed(finished))
    return {
        "wall_s": finished.wall_s,
        "peak_rss_mib": finished.peak_rss_bytes / MIB,
        "at_peak": finished.peak_members,
    }


def run_dlt_both(bench: Bench, env: dict, connections: Path) -> dict[str, Any]:
    """One dlt pipeline, the tenants of both endpoints as parallelized resources (bench/dlt_source.py)."""
    finished = run_dlt_spec(bench, env, "endtoend-dlt", connections, ENDPOINTS)
    reported = finished.json_line()
    return {
        "wall_s": finished.wall_s,
        "peak_rss_mib": finished.peak_rss_bytes / MIB,
        "reported_records": reported["records"],
        "dlt": {k: reported[k] for k in ("seconds", "extract_s", "normalize_s", "load_s")},
    }


def run_bare(bench: Bench, env: dict, connections: Path) -> dict[str, Any]:
    """bench/limit.py for both endpoints at once: the user waits for the longer one."""
    with ThreadPoolExecutor(len(ENDPOINTS)) as pool:
        done = list(pool.map(lambda e: run_limit(bench, env, connections, e, BARE_CONCURRENCY), ENDPOINTS))
    return {
        "wall_s": max(d["wall_s"] for d in done),
        "peak_rss_mib": sum(d["peak_rss_mib"] for d in done),
        "reported_records": sum(d["records"] for d in done),
        "by_endpoint": dict(zip(ENDPOINTS, done, strict=True)),
    }


RUNNERS: dict[str, Callable[[Bench, dict, Path], dict[str, Any]]] = dict(
    zip(CONTENDERS, (run_product, run_dlt_both, run_bare), strict=True)
)


def measure_endtoend(bench: Bench, scales: tuple[float, ...]) -> tuple[list[dict], list[str], dict]:
    samples: list[dict[str, Any]] = []
    failures: list[str] = []
    volumes: dict[str, dict[str, int]] = {}
    for scale in scales:
        with Simulator(scale, TODAY, log_path=bench.work / f"simulator-endtoend-{scale:g}.log") as sim:
            connections = bench.work / "connections-endtoend.yaml"
            env = bench.env(write_connections(sim, connections))
            warm_up(bench, env, connections)
            volumes[f"{scale:g}"] = found = volume(sim)
            records = sum(found.values())
            bench.log(f"  endtoend scale {scale:g}: {found} = {records:,} records at {LATENCY_MS} ms")
            sim.set_faults({"latency_ms": LATENCY_MS})
            for repeat in range(bench.repeat):
                for name, runner in RUNNERS.items():
                    case = {
                        "scale": scale,
                        "records": records,
                        "contender": name,
                        "repeat": repeat,
                        "loadavg_1m_before": os.getloadavg()[0],
                    }
                    before = requests_served(sim)
                    try:
                        sample = {**case, **runner(bench, env, connections)}
                    except Exception as error:  # one broken contender must not stop the others
                        failures.append(f"scale {scale:g}, {name}: {error}")
                        bench.log(f"  FAILED scale {scale:g} {name}: {str(error)[:600]}")
                        continue
                    sample["requests_served"] = requests_served(sim) - before
                    sample["records_per_s"] = records / sample["wall_s"]
                    samples.append(sample)
                    bench.log(
                        f"  scale {scale:<6g} {name:<16} {sample['wall_s']:8.2f} s = "
                        f"{sample['records_per_s']:>8,.0f} records/s, peak {sample['peak_rss_mib']:6.0f} MiB, "
                        f"{sample['requests_served']:,} requests"
                    )
    return samples, failures, {**_parameters(bench, scales, volumes), "dlt_file_format": bench.dlt_file_format}


def _parameters(bench: Bench, scales: tuple[float, ...], volumes: dict) -> dict[str, Any]:
    return {"scale": list(scales), "window": [START.isoformat(), TODAY.isoformat()], "latency_ms": LATENCY_MS,
            "endpoints": list(ENDPOINTS), "volume": volumes, "repeat": bench.repeat}


def endtoend_view(samples: list[dict], failures: list[str], parameters: dict) -> ScenarioResult:
    result = ScenarioResult(
        "endtoend",
        "What the user waits for: pipeline run (API -> published marts) vs dlt (API -> raw) vs bare client",
        samples=samples,
        parameters=parameters,
        failures=failures,
    )
    for position, scale in enumerate(parameters["scale"]):
        chosen = {
            name: [s for s in samples if s["scale"] == scale and s["contender"] == name]
            for name in CONTENDERS
        }
        records = sum(parameters["volume"].get(f"{scale:g}", {}).values())
        case = f"scale {scale:g}: {records:,} records @ {parameters['latency_ms']} ms"
        seconds = {name: median([s["wall_s"] for s in done]) for name, done in chosen.items()}
        for name, done in chosen.items():
            if not done:
                continue
            walls = sorted(s["wall_s"] for s in done)
            notes = [
                f"{records / seconds[name]:,.0f} records/s",
                f"peak RSS {max(s['peak_rss_mib'] for s in done):,.0f} MiB",
                f"n={len(walls)}" + (f", {walls[0]:.1f}–{walls[-1]:.1f} s" if len(walls) > 1 else ""),
            ]
            counted = {s.get("reported_records") for s in done} - {None, records}
            if counted:
                notes.append(f"counted {', '.join(f'{c:,}' for c in sorted(counted))} records itself")
            row = Row(case, name, seconds[name], "s", note="; ".join(notes))
            if name == CONTENDERS[0]:
                # records/s against records/s: how many times dlt's throughput (the targets)
                row.ratio, row.ratio_of = ratio(seconds[CONTENDERS[1]], seconds[name]), "dlt's records/s"
                row.target = f">= {TARGET_VS_DLT[min(position, len(TARGET_VS_DLT) - 1)]}"
                row.met = row.ratio is not None and row.ratio >= TARGET_VS_DLT[min(position, len(TARGET_VS_DLT) - 1)]
                bare = ratio(seconds[CONTENDERS[2]], seconds[name])
                row.note += f"; {bare:.2f} of the bare client's records/s" if bare else ""
            result.rows.append(row)
    return result


# ---------------------------------------------------------------- incremental


def one_day_change(sim: Simulator, day: date) -> list[dict[str, Any]]:
    """Annul the first record of `day` (or of the nearest earlier day that has one) of each CHANGED."""
    changed = []
    for source, tenant, entity in CHANGED:
        ids, on = [], day
        while not ids and on >= START:
            ids, on = sim.truth(source, tenant, entity, on, on)["ids"], on - timedelta(days=1)
        sim.control("POST", "mutate", {"source": source, "tenant": tenant, "action": "annul", "id": ids[0]})
        changed.append(
            {"source": source, "tenant": tenant, "id": ids[0], "day": (on + timedelta(days=1)).isoformat()}
        )
    return changed


def not_annulled(warehouse: Path, changed: list[dict[str, Any]]) -> list[str]:
    """The changed records whose status in marts.fct_sales is not `Anulada` after the run."""
    import duckdb

    wrong = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for change in changed:
            found = con.execute(
                "select status from marts.fct_sales where source = ? and tenant = ? "
                "and cast(document_id as varchar) = ?",
                [change["source"], change["tenant"], str(change["id"])],
            ).fetchall()
            if found != [("Anulada",)]:
                wrong.append(f"{change} annulled at the source is {found} in marts.fct_sales")
    return wrong


def incremental_steps(
    bench: Bench, sim: Simulator, env: dict, scale: float, steps: list, failures: list
) -> None:
    """First run, then `repeat` times: one day's change, the incremental run, the no-op run."""

    def step(name: str, **extra: Any) -> bool:
        finished = pipeline_run(env, START, TODAY, TODAY)
        steps.append({"scale": scale, **_step(name, finished, **extra)})
        bench.log(f"  scale {scale:<6g} {name:<30} exit {finished.returncode} {finished.wall_s:8.1f} s")
        if finished.returncode:
            failures.append(f"scale {scale:g}, {name}: {_failed(finished)}")
        return finished.returncode == 0

    if not step(FIRST):
        return
    for repeat in range(bench.repeat):
        changed = one_day_change(sim, TODAY - timedelta(days=10 + repeat))
        if not step(INCREMENTAL, changed=changed):
            return
        failures += [f"scale {scale:g}: {w}" for w in not_annulled(Path(env["PIPELINE_WAREHOUSE"]), changed)]
        if not step(NOOP):
            return


def measure_incremental(bench: Bench, scales: tuple[float, ...]) -> tuple[list[dict], list[str], dict]:
    steps: list[dict[str, Any]] = []
    failures: list[str] = []
    volumes: dict[str, dict[str, int]] = {}
    for scale in scales:
        work = bench.fresh("incremental")
        with Simulator(scale, TODAY, log_path=bench.work / f"simulator-incremental-{scale:g}.log") as sim:
            connections = work / "connections.yaml"
            credentials = write_connections(sim, connections)
            warm_up(bench, bench.env(credentials), connections)
            volumes[f"{scale:g}"] = found = volume(sim)
            bench.log(f"  incremental scale {scale:g}: {found} at {LATENCY_MS} ms")
            sim.set_faults({"latency_ms": LATENCY_MS})
            incremental_steps(
                bench, sim, product_env(bench, credentials, connections, work), scale, steps, failures
            )
        shutil.rmtree(work, ignore_errors=True)
    return steps, failures, _parameters(bench, scales, volumes)


def incremental_view(steps: list[dict], failures: list[str], parameters: dict) -> ScenarioResult:
    result = ScenarioResult(
        "incremental",
        "A one-day change: pipeline run after it, and with nothing changed, at two history sizes",
        samples=steps,
        parameters=parameters,
        failures=failures,
    )
    incremental: dict[float, float | None] = {}
    for scale in parameters["scale"]:
        records = sum(parameters["volume"].get(f"{scale:g}", {}).values())
        case = f"history scale {scale:g}: {records:,} records @ {parameters['latency_ms']} ms"
        ok = {
            name: median(
                [s["wall_s"] for s in steps if (s["scale"], s["step"], s["returncode"]) == (scale, name, 0)]
            )
            for name in (FIRST, INCREMENTAL, NOOP)
        }
        incremental[scale] = ok[INCREMENTAL]
        result.rows.append(Row(case, FIRST, ok[FIRST], "s"))
        for name in (INCREMENTAL, NOOP):
            result.rows.append(Row(case, name, ok[name], "s", ratio(ok[name], ok[FIRST]), "first run"))
    small, big = min(parameters["scale"]), max(parameters["scale"])
    growth = ratio(incremental.get(big), incremental.get(small))
    if big != small:
        result.rows.append(
            Row(
                f"history x{big / small:g}",
                INCREMENTAL,
                incremental.get(big),
                "s",
                growth,
                f"scale {small:g}",
                "<= 1.5",
                None if growth is None else growth <= 1.5,
            )
        )
    return result


# ---------------------------------------------------------------- the family

VIEWS = {"endtoend": endtoend_view, "incremental": incremental_view}


def measure_endtoend_family(
    bench: Bench, endtoend_scales: tuple[float, ...], incremental_scales: tuple[float, ...]
) -> list[ScenarioResult]:
    done = []
    if "endtoend" in bench.scenarios:
        done.append(endtoend_view(*measure_endtoend(bench, endtoend_scales)))
    if "incremental" in bench.scenarios:
        done.append(incremental_view(*measure_incremental(bench, incremental_scales)))
    return done


def rebuild_endtoend_family(stored: list[dict], scenarios: tuple[str, ...]) -> list[ScenarioResult]:
    """The views again from each scenario's own stored samples (the two share none)."""
    return [
        VIEWS[doc["scenario"]](doc["samples"], doc["failures"], doc["parameters"])
        for doc in stored
        if doc["scenario"] in scenarios
    ]
