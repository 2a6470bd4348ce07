"""No credential value appears in any landed file, manifest, log record or exception text."""

import logging
from dataclasses import replace

import pytest
from support import load, partitions

from pipeline.extract.errors import ExtractionError
from pipeline.sources import SOURCES, extract, load_settings

from .helpers import MARCH, SNAPSHOT


def test_no_credential_leaves_the_engine(make_settings, caplog):
    caplog.set_level(logging.DEBUG)
    make_settings.sim.control.set_faults([
        {"name": "fail_next_5xx", "value": 1}, {"name": "arrendasoft_token_max_uses", "value": 1},
    ])
    settings = make_settings()
    secrets = {value for c in settings.connections for value in c.secret_values()}
    assert len(secrets) >= 10
    texts = []
    for connection in settings.connections:
        source = SOURCES[connection.source]
        for endpoint in source.enabled_endpoints(connection):
            partition = MARCH if source.endpoints[endpoint].window else SNAPSHOT
            try:
                extract(settings, connection, endpoint, partition, "run1")
            except ExtractionError as exc:  # limitada_ec purchases: 403
                texts.append(str(exc) + repr(exc))
        for endpoint in source.endpoints:
            load(settings, connection.source, endpoint, tenants=[connection.name])
    wrong = replace(load_settings(settings.path, environ={**make_settings.environ, **{
        k: "x" + v for k, v in make_settings.environ.items() if v in secrets}}), retry=settings.retry)
    for connection in wrong.connections:
        endpoint = next(iter(SOURCES[connection.source].enabled_endpoints(connection)))
        with pytest.raises(ExtractionError) as caught:
            partition = partitions(connection, endpoint, MARCH.window_start, MARCH.window_end, SNAPSHOT.snapshot_date)[0]
            extract(wrong, connection, endpoint, partition, "run2")
        texts.append(str(caught.value) + repr(caught.value))
    texts += [record.getMessage() for record in caught_records(caplog)]
    files = [path for path in settings.raw_dir.rglob("*") if path.is_file()]
    assert len(files) > 20
    texts += [path.read_bytes().decode("utf-8", "replace") for path in files]
    texts.append(settings.warehouse.path.read_bytes().decode("latin-1"))
    wrong_secrets = {"x" + s for s in secrets}
    for text in texts:
        for secret in secrets | wrong_secrets:
            assert secret not in text


def caught_records(caplog):
    return caplog.records
