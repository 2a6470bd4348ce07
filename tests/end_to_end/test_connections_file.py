"""The connections file and the command line, as a data engineer meets them: refusals before any request,
a wrong credential."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.simulator.testing import start_simulator

TODAY = date(2025, 6, 30)
WINDOW = ("--end", "2025-02-28", "--as-of", "2025-02-28")  # two months: these tests are about connections

pytestmark = pytest.mark.xdist_group("connections")


@pytest.fixture(scope="module")
def simulator():
    with start_simulator(seed=7, scale=1, today=TODAY) as sim:
        yield sim


def test_wrong_connections_file_is_refused_before_any_request(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="wrong")
    config = workspace.root / "connections.yaml"
    config.write_text(
        "start_date: 2025-01-01\nconnections:\n"
        "  - {name: a, source: nosuch, base_url: http://x, currency: USD, auth: {}}\n"
        "  - {name: b, source: smartpyme, base_url: http://x, currency: USD, auth: {api_key_env: NOT_SET_ANYWHERE}}\n"
        "  - {name: b, source: smartpyme, base_url: http://x, currency: USD, auth: {api_key_env: NOT_SET_ANYWHERE}, colour: red}\n"
    )
    before = simulator.control.stats()
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 2
    assert "nosuch" in result.stderr and "NOT_SET_ANYWHERE" in result.stderr and "colour" in result.stderr
    assert simulator.control.stats() == before


def test_impossible_date_is_refused_with_the_reason(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="baddate")
    result = workspace.pipeline("run", "--end", "2026-02-29")
    assert result.returncode == 2
    assert "2026-02-29" in result.stderr and "not a calendar date" in result.stderr


def test_wrong_credential_names_the_connection_stale_and_still_publishes_the_others(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="unauthorized", tenants=["tienda_sv", "acme_ec"])
    workspace.env["TIENDA_SMARTPYME_KEY"] = "spy-wrong-key-0000"
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "tienda_sv" in output and "smartpyme/sales" in output and "401" in output and "stale" in output
    assert "spy-wrong-key-0000" not in output
    assert workspace.serving.exists()  # the other connection's marts are published
    assert workspace.query("select distinct tenant from marts.fct_sales") == [("acme_ec",)]
    assert workspace.query("select tenant, endpoint, status from marts.rpt_connection_freshness "
                           "where tenant = 'tienda_sv' order by 2") == [
        ("tienda_sv", "sales", "stale"), ("tienda_sv", "sales_summary", "stale")]


def test_a_report_the_plan_does_not_include_names_the_key_that_turns_it_off(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="forbidden", tenants=["limitada_ec"])
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 1
    assert "limitada_ec troyansys/purchases: HTTP 403" in result.stdout
    assert "leave it out of `reports:`" in result.stdout
    assert workspace.query("select count(*) from marts.fct_sales where tenant = 'limitada_ec'")[0][0] > 0
