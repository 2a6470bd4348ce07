"""The connections file: the operations contract's format, refused with one message per problem."""

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import ConfigError
from pipeline.sources import SOURCES, load_settings

GOOD = """
start_date: 2025-01-01
connections:
  - name: acme_ec
    source: troyansys
    base_url: https://troyansys.com/api/v1
    currency: USD
    auth: {mode: company, api_key_env: ACME_KEY}
    reports: [sales, inventory]
  - name: tienda_sv
    source: smartpyme
    base_url: https://api.smartpyme.site/api/external/v1
    currency: USD
    auth: {api_key_env: TIENDA_KEY}
  - name: contable_co
    source: serpi
    base_url: https://www.apis.serpi.com.co/api/v1
    currency: COP
    auth: {secret_key_env: SERPI_SECRET, token_env: SERPI_TOKEN}
    document_types: [15, 16]
  - name: inmobiliaria_co
    source: arrendasoft
    base_url: https://{instance}.arrendasoft.co/service/v2/public
    instance: miinmobiliaria
    currency: COP
    auth: {username_env: INMO_USER, password_env: INMO_PASSWORD}
"""
ENV = {"ACME_KEY": "k1", "TIENDA_KEY": "k2", "SERPI_SECRET": "s", "SERPI_TOKEN": "t",
       "INMO_USER": "u", "INMO_PASSWORD": "p-secret-value"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "connections.yaml"
    path.write_text(text)
    return path


def test_a_good_file_loads_with_defaults(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ=ENV)
    assert settings.timezone == "America/Bogota"
    acme, tienda, contable, inmo = settings.connections
    assert acme.endpoints == ("sales", "inventory") and acme.auth.mode == "company"
    assert tienda.lookback_days == 30 and tienda.max_concurrency == 4
    assert contable.concurrency == 1 and contable.options["documents_path"] == "/DocumentoContable/GetDocumentoContable"
    assert contable.options["document_types"] == (15, 16)
    assert inmo.url == "https://miinmobiliaria.arrendasoft.co/service/v2/public"
    assert str(settings.raw_dir) == "data/raw" and str(settings.warehouse) == "data/warehouse.duckdb"
    assert str(settings.serving) == "data/serving.duckdb"


def test_secrets_never_print(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ=ENV)
    text = repr(settings) + str(settings.connections)
    assert "p-secret-value" not in text and "k1" not in text
    assert settings.connection("inmobiliaria_co").auth.secret("password") == "p-secret-value"


def test_missing_environment_variable_is_named_with_connection_and_key(tmp_path):
    env = {k: v for k, v in ENV.items() if k != "TIENDA_KEY"}
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, GOOD), environ=env)
    assert caught.value.problems == [
        "connections[1] (tienda_sv): auth.api_key_env: environment variable TIENDA_KEY is not set"
    ]


def test_every_problem_is_reported_once(tmp_path):
    bad = GOOD.replace("source: smartpyme", "source: smartpyme\n    colour: blue") \
              .replace("currency: COP\n    auth: {secret", "currency: cop\n    auth: {secret") \
              .replace("name: inmobiliaria_co", "name: acme_ec") \
              .replace("reports: [sales, inventory]", "reports: [sales, ledger]") \
              .replace("    instance: miinmobiliaria\n", "")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, bad), environ=ENV)
    assert sorted(caught.value.problems) == sorted([
        "connections[0] (acme_ec): reports: a non-empty list of dashboard, sales, inventory, purchases, accounting",
        "connections[1] (tienda_sv): colour: unknown key for a smartpyme connection",
        "connections[2] (contable_co): currency: required, an ISO code of three upper-case letters",
        "connections[3] (acme_ec): name: duplicate connection name 'acme_ec'",
        "connections[3] (acme_ec): instance: required because base_url contains {instance}",
    ])
    assert "tienda_sv): colour" in str(caught.value)


def test_unknown_source_and_wrong_auth_shape_are_refused(tmp_path):
    bad = GOOD.replace("source: serpi", "source: sap") \
              .replace("auth: {mode: company, api_key_env: ACME_KEY}", "auth: {mode: user, token_env: ACME_KEY}") \
              .replace("auth: {api_key_env: TIENDA_KEY}", "auth: {api_key_env: TIENDA_KEY, token: x}")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, bad), environ=ENV)
    assert sorted(caught.value.problems) == sorted([
        "connections[0] (acme_ec): auth.company_id: required, a positive integer",
        "connections[1] (tienda_sv): auth.token: unknown key for smartpyme auth",
        "connections[2] (contable_co): source: required, one of troyansys, smartpyme, serpi, arrendasoft (got 'sap')",
    ])


def test_top_level_problems_are_reported(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, "timezone: Mars/Olympus\nextra: 1\nconnections: []\n"), environ={})
    assert sorted(caught.value.problems) == sorted([
        "extra: unknown key", "start_date: required, a date YYYY-MM-DD",
        "timezone: unknown time zone 'Mars/Olympus'", "connections: required, a non-empty list",
    ])


def test_demo_file_is_the_default_and_takes_its_credentials_from_demo_env():
    settings = load_settings(environ={"PIPELINE_RAW_DIR": "/tmp/x"})
    assert len(settings.connections) == 8 and str(settings.raw_dir) == "/tmp/x"
    assert settings.connection("arriendos_co").auth.secret("token") == "arr-fixed-token-6f1b93"
    overridden = load_settings(environ={"ARRIENDOS_TOKEN": "other"})
    assert overridden.connection("arriendos_co").auth.secret("token") == "other"


def test_demo_env_is_not_used_for_other_files(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text((Path(__file__).parents[2] / "pipeline/demo/connections.yaml").read_text())
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"PIPELINE_CONNECTIONS": str(path)})
    assert len(caught.value.problems) == 11  # every credential variable of the demo file, none set


def test_troyansys_reports_option_chooses_the_endpoints():
    settings = load_settings(environ={})
    connection = replace(settings.connection("acme_ec"), endpoints=("sales", "inventory"))
    assert SOURCES["troyansys"].enabled_endpoints(connection) == ["sales", "inventory"]
    assert SOURCES["troyansys"].enabled_endpoints(settings.connection("andina_ec")) == [
        "dashboard", "sales", "inventory", "purchases", "accounting"]
