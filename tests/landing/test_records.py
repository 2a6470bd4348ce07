"""Splitting a landed page into its records' exact texts (the loader's one parsing step)."""

import pytest

from pipeline.landing.records import record_texts

PAGE = b'{"meta": {"total": 2}, "data": [{"id": 1, "total": 12345678901234.5678}, {"id": 2,"x":[1, 2.50]}]}'


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        (PAGE, "data", ['{"id": 1, "total": 12345678901234.5678}', '{"id": 2,"x":[1, 2.50]}']),
        (PAGE, "meta", ['{"total": 2}']),
        (PAGE, None, [PAGE.decode()]),
        (PAGE, "missing", []),
        (PAGE, "meta.total", []),
        (b'{"data": []}', "data", []),
        (b'{"data": {}}', "data", []),
        (b'{"body": {"rows": [{"a": "\xc3\xb1"}]}}', "body.rows", ['{"a": "ñ"}']),
    ],
)
def test_records_are_exact_slices_of_the_body(body, path, expected):
    assert record_texts(body, path) == expected
