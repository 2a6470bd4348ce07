"""dlt as a contender: its `rest_api` source loading the same endpoints into DuckDB.

Runs inside bench/.venv-dlt (it never imports the pipeline). The spec file names, per tenant, the base URL
and the environment variables holding the credentials; the window is one paging sequence per tenant (the
way a dlt user would configure it), tenants as parallelized resources. Arrendasoft login auth is done here
with one POST /login (rest_api has no login-then-bearer auth type), then a bearer token. The spec's
"endpoints" (a list of {"endpoint", "tenants"}) are loaded in one dlt pipeline.

    bench/.venv-dlt/bin/python bench/dlt_source.py SPEC.json
prints one JSON line: {"records", "seconds" (extract+normalize+load), "extract_s", "normalize_s", "load_s",
"rows_by_table", "dlt_version"}.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import dlt
import requests
from dlt.sources.rest_api import rest_api_source


def page_number(total_path: str) -> dict[str, Any]:
    return {"type": "page_number", "page_param": "page", "base_page": 1, "total_path": total_path}


def smartpyme_resource(tenant: dict, spec: dict) -> dict[str, Any]:
    params = {
        "fecha_inicio": spec["start"],
        "fecha_fin": spec["end"],
        "order_by": "created_at",
        "order_direction": "asc",
        "per_page": 200,
    }
    return {
        "name": f"sales_{tenant['name']}",
        "endpoint": {
            "path": f"{tenant['base_url']}/sales",
            "params": params,
            "data_selector": "data",
            "paginator": page_number("pagination.total_pages"),
            "auth": {"type": "bearer", "token": os.environ[tenant["env"]["api_key"]]},
        },
    }


def arrendasoft_token(tenant: dict) -> str:
    env = tenant["env"]
    if "token" in env:
        return os.environ[env["token"]]
    reply = requests.post(
        f"{tenant['base_url']}/login",
        timeout=60,
        json={"username": os.environ[env["username"]], "password": os.environ[env["password"]]},
    )
    reply.raise_for_status()
    return reply.json()["body"]["token"]


def arrendasoft_resource(tenant: dict, spec: dict) -> dict[str, Any]:
    return {
        "name": f"invoices_{tenant['name']}",
        "endpoint": {
            "path": f"{tenant['base_url']}/invoices/list",
            "params": {"page_size": 1000},
            "data_selector": "body",
            "paginator": page_number("pagination.total_pages"),
            "auth": {"type": "bearer", "token": arrendasoft_token(tenant)},
        },
    }


RESOURCES = {"smartpyme/sales": smartpyme_resource, "arrendasoft/invoices": arrendasoft_resource}


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    groups = spec["endpoints"]
    resources = [RESOURCES[group["endpoint"]](tenant, spec) for group in groups for tenant in group["tenants"]]
    source = rest_api_source(
        {
            "client": {"base_url": groups[0]["tenants"][0]["base_url"]},
            "resource_defaults": {"parallelized": True, "write_disposition": "append"},
            "resources": resources,
        }
    )
    work = Path(spec["work_dir"])
    pipeline = dlt.pipeline(
        pipeline_name="bench",
        pipelines_dir=str(work / "pipelines"),
        destination=dlt.destinations.duckdb(str(work / "dlt.duckdb")),
        dataset_name="bench",
    )
    started = time.perf_counter()
    pipeline.extract(source, loader_file_format=spec.get("loader_file_format"))
    extracted = time.perf_counter()
    pipeline.normalize()
    normalized = time.perf_counter()
    pipeline.load()
    loaded = time.perf_counter()
    rows = dict(pipeline.last_trace.last_normalize_info.row_counts)
    top = {resource["name"] for resource in resources}
    print(
        json.dumps(
            {
                "records": sum(count for table, count in rows.items() if table in top),
                "seconds": round(loaded - started, 4),
                "extract_s": round(extracted - started, 4),
                "normalize_s": round(normalized - extracted, 4),
                "load_s": round(loaded - normalized, 4),
                "rows_by_table": rows,
                "dlt_version": dlt.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
