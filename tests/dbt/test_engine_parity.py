"""One dbt project, two engines: the same landed pages give the same marts on DuckDB and on PostgreSQL, row for
row and to the cent, with the same column types as far as the contract goes."""

from __future__ import annotations

import pytest
from conftest import MARTS_QUERY, BuiltWarehouse, assert_same_marts

pytestmark = pytest.mark.xdist_group("dbt")

# What differs by design: the landing's run id and extraction time are the same pages here, so nothing does.
def test_both_engines_build_every_model_and_test(warehouse: BuiltWarehouse, postgres_fixture: BuiltWarehouse):
    assert warehouse.build.success and postgres_fixture.build.success
    assert warehouse.build.statuses == postgres_fixture.build.statuses


def test_every_mart_is_the_same_on_postgresql_row_for_row(warehouse: BuiltWarehouse,
                                                          postgres_fixture: BuiltWarehouse):
    assert [name for (name,) in warehouse.rows(MARTS_QUERY)] == [name for (name,) in postgres_fixture.rows(MARTS_QUERY)]
    assert_same_marts(warehouse, postgres_fixture)


def test_money_keeps_its_scale_on_both_engines(warehouse: BuiltWarehouse, postgres_fixture: BuiltWarehouse):
    query = "select total, balance_due from marts.fct_sales where document_id = '122'"
    assert [str(v) for v in warehouse.rows(query)[0]] == [str(v) for v in postgres_fixture.rows(query)[0]] == [
        "12345678901234.5678", "12345678901234.5678"]
