"""A fifth API, one the product does not ship, declared entirely in this file.

What adding a fifth API takes in this project: a `Source` (pipeline/sources/<name>.py), which is data, not
code: its auth strategy (here `HeaderAuth({"X-API-Key": "{api_key}"})`), its endpoints (path, where the records
are, the primary key, the paginator, the date window, what the API reports about itself, any rules of its own)
and the connection options it accepts (`Option`s, validated with the rest of the connections file); then an
entry in `SOURCES` (pipeline/sources/__init__.py), from which the Dagster assets are built; then connections
naming it in the connections file. For its data to reach the marts it also needs dbt staging models over
`raw.<source>__<endpoint>` and a place in the intermediate unions; that part is dbt's and is not covered here.

What this test proves: with no change to any file outside it, such a source ("facturas": page-number paging
with `page`/`size` and `meta.total_pages`, an X-API-Key header, a `from`/`to` window partitioned by month, a
reported `meta.total_records`, records under `items` keyed by `invoice_id`, a `region` option used in the
path) is validated by the real connections-file loader, extracted by the real engine over real HTTP (a small
Starlette app served by uvicorn on loopback), and loaded by the real loader into DuckDB and PostgreSQL, with
every record's text exactly as the API sent it (amounts as JSON numbers and as strings, byte for byte) and one
manifest row per connection and month carrying the API's reported total. A wrong key fails with a 401 whose
message names the connection and never the key; a wrong option value or an unknown key in the connections file
is refused with one message naming the connection and the key.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest
import uvicorn
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipeline.config import ConfigError, Option, RetryPolicy, Settings, load_settings
from pipeline.extract import errors
from pipeline.extract.auth import HeaderAuth
from pipeline.extract.engine import extract_partition
from pipeline.extract.model import DateWindow, Endpoint, Source, endpoints
from pipeline.extract.paginators import PageNumber
from pipeline.extract.partitions import month_keys, plan
from pipeline.extract.reported import Total
from pipeline.landing.load import load_partitions
from pipeline.sources import SOURCES
from pipeline.warehouse import open_warehouse

# ------------------------------------------------------------------------------------------------ the source

REGIONS = ("norte", "sur", "centro")

facturas = Source(
    name="facturas",
    auth={"key": HeaderAuth({"X-API-Key": "{api_key}"})},
    options={"region": Option("one of norte, sur, centro", lambda value: value in REGIONS)},
    endpoints=endpoints(
        Endpoint("invoices", path="/v2/{region}/invoices", records="items", key="invoice_id",
                 window=DateWindow(start="from", end="to"),
                 paginator=PageNumber(page="page", size="size", size_value=2, total_pages="meta.total_pages"),
                 reported=Total("meta.total_records", name="total_records")),
    ),
)

# ------------------------------------------------------------------------------------------------ the API

API_KEY = "fx-live-5b2c-91d0-secret"

# Each invoice exactly as the API writes it: amounts as JSON numbers and as strings, spacing as it comes.
INVOICES = {
    "norte": [
        '{"invoice_id": "N-0001", "issued_on": "2025-01-03", "customer": "Ferretería Ñandú", "amount": 99.9900}',
        '{"invoice_id": "N-0002", "issued_on": "2025-01-09", "customer": "Casa Azul", "amount": "1234.50"}',
        '{"invoice_id": "N-0003", "issued_on": "2025-01-17", "amount": 0.1, "tax": "0.016"}',
        '{"invoice_id":"N-0004","issued_on":"2025-01-31","amount":1.5E2,"lines":[{"qty":3,"price":"50.00"}]}',
        '{"invoice_id": "N-0005", "issued_on": "2025-01-31", "amount": "-15.00", "notes": null}',
        '{"invoice_id": "N-0006", "issued_on": "2025-02-01", "amount": 12345678901234.5678}',
        '{"invoice_id": "N-0007", "issued_on": "2025-02-14", "amount": "0.00"}',
        '{"invoice_id": "N-0008", "issued_on": "2025-02-28", "amount": 7}',
        '{"invoice_id": "N-0009", "issued_on": "2025-03-01", "amount": "5.55"}',
    ],
    "sur": ['{"invoice_id": "S-0001", "issued_on": "2025-01-05", "amount": "1.00"}'],
    "centro": [],
}


def issued(text: str) -> str:
    return json.loads(text)["issued_on"]


@dataclass
class FacturasApi:
    url: str
    requests: list[dict] = field(default_factory=list)


def build_app(api: FacturasApi) -> Starlette:
    async def invoices(request: Request) -> Response:
        key, params = request.headers.get("x-api-key", ""), request.query_params
        api.requests.append({"path": request.url.path, "params": dict(params), "key": key})
        if key != API_KEY:
            return Response(json.dumps({"error": f"unknown API key {key}"}), 401, media_type="application/json")
        region = request.path_params["region"]
        if region not in INVOICES:
            return Response('{"error": "no such region"}', 404, media_type="application/json")
        page, size = int(params["page"]), int(params["size"])
        chosen = sorted((t for t in INVOICES[region] if params["from"] <= issued(t) <= params["to"]),
                        key=lambda t: json.loads(t)["invoice_id"])
        meta = {"page": page, "size": size, "total_pages": -(-len(chosen) // size), "total_records": len(chosen)}
        items = ", ".join(chosen[(page - 1) * size:page * size])
        body = f'{{"items": [{items}], "meta": {json.dumps(meta)}}}'
        return Response(body.encode(), media_type="application/json")

    return Starlette(routes=[Route("/api/v2/{region}/invoices", invoices)])


@pytest.fixture(scope="module")
def facturas_server() -> Iterator[FacturasApi]:
    """The app on a free loopback port, in a thread (as pipeline/simulator/testing.py serves the simulators)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    api = FacturasApi(f"http://127.0.0.1:{sock.getsockname()[1]}")
    server = uvicorn.Server(uvicorn.Config(build_app(api), log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="facturas-api")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the facturas API did not start"
        time.sleep(0.01)
    try:
        yield api
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def facturas_api(facturas_server: FacturasApi) -> FacturasApi:
    facturas_server.requests.clear()
    return facturas_server


# ------------------------------------------------------------------------------------------------ the file


def connections(base_url: str, **changes) -> dict:
    """Two connections of the fifth source, one per region; `changes` go into the first."""
    return {
        "start_date": "2025-01-01", "timezone": "America/Mexico_City",
        "connections": [
            {"name": "facturas_mx", "source": "facturas", "base_url": f"{base_url}/api", "currency": "MXN",
             "region": "norte", "auth": {"api_key_env": "FACTURAS_MX_KEY"}, **changes},
            {"name": "facturas_sur", "source": "facturas", "base_url": f"{base_url}/api", "currency": "MXN",
             "region": "sur", "auth": {"api_key_env": "FACTURAS_SUR_KEY"}},
        ],
    }


def load_facturas(tmp_path: Path, document: dict, warehouse: str | None = None, key: str = API_KEY) -> Settings:
    path = tmp_path / "connections.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    environ = {"FACTURAS_MX_KEY": key, "FACTURAS_SUR_KEY": API_KEY, "PIPELINE_RAW_DIR": str(tmp_path / "raw"),
               "PIPELINE_WAREHOUSE": warehouse or str(tmp_path / "warehouse.duckdb"),
               "PIPELINE_SERVING": str(tmp_path / "serving.duckdb")}
    settings = load_settings(path, environ, sources={**SOURCES, "facturas": facturas})
    return replace(settings, retry=RetryPolicy(attempts=3, initial_wait=0.001, max_wait=0.002, timeout=10.0))


JANUARY_TO_FEBRUARY = plan(month_keys(date(2025, 1, 1), date(2025, 2, 28)), date(2025, 1, 1), date(2025, 2, 28),
                           date(2025, 2, 28))


def expected_rows(region: str) -> list[tuple[str, str]]:
    return sorted((issued(text)[:7], text) for text in INVOICES[region] if issued(text) <= "2025-02-28")


# ------------------------------------------------------------------------------------------------ the proof


def test_a_fifth_source_extracts_and_loads_with_no_change_outside_this_file(tmp_path, facturas_api, warehouse_url):
    settings = load_facturas(tmp_path, connections(facturas_api.url), warehouse=warehouse_url)
    mx = settings.connection("facturas_mx")
    assert mx.options == {"region": "norte"} and mx.currency == "MXN"

    results = {(connection.name, partition.key): extract_partition(settings, facturas, connection, "invoices",
                                                                    partition, "run-1")
               for connection in settings.connections for partition in JANUARY_TO_FEBRUARY}
    january, february = results["facturas_mx", "2025-01"], results["facturas_mx", "2025-02"]
    assert (january.records, january.pages, january.reported, january.mismatch) == (5, 3, {"total_records": 5}, None)
    assert (february.records, february.pages, february.reported) == (3, 2, {"total_records": 3})
    assert results["facturas_sur", "2025-02"].records == 0  # an empty month is a complete partition too

    # every request went over HTTP with the key, to the region's path, with one calendar month as its window
    assert {r["key"] for r in facturas_api.requests} == {API_KEY}
    windows = {(r["path"], r["params"]["from"], r["params"]["to"], r["params"]["size"]) for r in facturas_api.requests}
    assert windows == {(f"/api/v2/{region}/invoices", start, end, "2")
                       for region in ("norte", "sur")
                       for start, end in (("2025-01-01", "2025-01-31"), ("2025-02-01", "2025-02-28"))}

    warehouse = open_warehouse(settings.warehouse, settings.serving)
    loaded = load_partitions(settings, warehouse, "facturas", "invoices", "items")
    assert (loaded.partitions, loaded.records) == (4, 9)

    with warehouse.session(read_only=True) as session:
        for tenant, region in (("facturas_mx", "norte"), ("facturas_sur", "sur")):
            rows = session.rows("select partition_key, record from raw.facturas__invoices where tenant = ?", [tenant])
            assert sorted(rows) == expected_rows(region)  # every record's text, exactly as sent
        (first,) = session.one("select record from raw.facturas__invoices where record like ?", ['%"N-0001"%'])
        assert '"amount": 99.9900}' in first and "Ferretería Ñandú" in first
        manifests = session.rows(
            "select tenant, partition_key, window_start, window_end, records, unique_records, reported, mismatch "
            "from raw._manifests where source = ? and endpoint = ? order by tenant, partition_key",
            ["facturas", "invoices"])
        assert [(*row[:6], json.loads(row[6]), row[7]) for row in manifests] == [
            ("facturas_mx", "2025-01", date(2025, 1, 1), date(2025, 1, 31), 5, 5, {"total_records": 5}, None),
            ("facturas_mx", "2025-02", date(2025, 2, 1), date(2025, 2, 28), 3, 3, {"total_records": 3}, None),
            ("facturas_sur", "2025-01", date(2025, 1, 1), date(2025, 1, 31), 1, 1, {"total_records": 1}, None),
            ("facturas_sur", "2025-02", date(2025, 2, 1), date(2025, 2, 28), 0, 0, {"total_records": 0}, None),
        ]
        assert sorted(session.rows("select tenant, source, currency from raw._connections")) == [
            ("facturas_mx", "facturas", "MXN"), ("facturas_sur", "facturas", "MXN")]

    again = load_partitions(settings, warehouse, "facturas", "invoices", "items")
    assert again.partitions == 0  # nothing new landed: the reload changes nothing
    assert "facturas" not in SOURCES  # the shipped list was never touched


def test_a_wrong_key_fails_with_a_401_that_names_the_connection_and_never_the_key(tmp_path, facturas_api):
    settings = load_facturas(tmp_path, connections(facturas_api.url), key="fx-wrong-0000-guess")
    with pytest.raises(errors.AuthFailed) as failed:
        extract_partition(settings, facturas, settings.connection("facturas_mx"), "invoices",
                          JANUARY_TO_FEBRUARY[0], "run-1")
    text = str(failed.value)
    assert text.startswith(f"facturas_mx facturas/invoices: HTTP 401 at {facturas_api.url}/api/v2/norte/invoices?")
    assert "fx-wrong-0000-guess" not in text and "unknown API key ***" in text  # the API echoed it; redacted
    assert len(facturas_api.requests) == 1  # a fixed key cannot be renewed: no retry
    assert not list((tmp_path / "raw").rglob("run=*"))


def test_a_wrong_option_value_is_refused_with_one_message_naming_the_connection_and_the_key(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_facturas(tmp_path, connections("http://127.0.0.1:9", region="oeste"))
    assert refused.value.problems == ["connections[0] (facturas_mx): region: one of norte, sur, centro"]


def test_an_unknown_key_is_refused_with_one_message_naming_the_connection_and_the_key(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_facturas(tmp_path, connections("http://127.0.0.1:9", page_size=500))
    assert refused.value.problems == ["connections[0] (facturas_mx): page_size: unknown key for a facturas connection"]


def test_the_shipped_sources_do_not_accept_the_fifth_sources_option(tmp_path):
    """`region` belongs to facturas: the same key on a shipped source's connection is unknown there."""
    document = {"start_date": "2025-01-01", "connections": [
        {"name": "tienda_sv", "source": "smartpyme", "base_url": "https://api.smartpyme.site/api/external/v1",
         "currency": "USD", "region": "norte", "auth": {"api_key_env": "TIENDA_KEY"}}]}
    path = tmp_path / "connections.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(ConfigError) as refused:
        load_settings(path, {"TIENDA_KEY": "k"}, sources={**SOURCES, "facturas": facturas})
    assert refused.value.problems == ["connections[0] (tienda_sv): region: unknown key for a smartpyme connection"]
