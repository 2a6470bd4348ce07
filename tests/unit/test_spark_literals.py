"""The Spark session binds `?` parameters client-side (PyHive has no server-side parameters): each value
becomes an exact Spark SQL literal, and a `?` inside quoted text stays text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from pipeline.warehouse.spark_server import bind, literal


@pytest.mark.parametrize(("value", "expected"), [
    (None, "NULL"), (True, "TRUE"), (7, "7"), (Decimal("67900.00000"), "67900.00000BD"),
    (Decimal("1E+3"), "1000BD"), (Decimal("-0.0100"), "-0.0100BD"),
    (date(2025, 2, 28), "DATE '2025-02-28'"), (datetime(2025, 1, 2, 3, 4, 5, 6), "TIMESTAMP '2025-01-02 03:04:05.000006'"),
    ("it's a \\ back", "'it\\'s a \\\\ back'"),
])
def test_literals_are_exact(value, expected):
    assert literal(value) == expected


def test_a_question_mark_in_quoted_text_is_not_a_placeholder():
    sql = bind("select '?', `a?b`, x from t where y = ? and z = ?", ["it's", Decimal("1.50")])
    assert sql == "select '?', `a?b`, x from t where y = 'it\\'s' and z = 1.50BD"


def test_an_escaped_quote_does_not_end_the_text():
    assert bind("select 'a\\'?' , ?", [1]) == "select 'a\\'?' , 1"


@pytest.mark.parametrize(("sql", "params"), [("select ?, ?", [1]), ("select ?", [1, 2])])
def test_placeholders_and_parameters_must_match(sql, params):
    with pytest.raises(ValueError, match="than"):
        bind(sql, params)


def test_values_without_an_exact_literal_are_refused():
    with pytest.raises(ValueError):
        literal(Decimal("NaN"))
    with pytest.raises(TypeError):
        literal(object())
