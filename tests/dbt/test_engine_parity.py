"""One dbt project, two engines: the same landed pages give the same marts on DuckDB and on PostgreSQL, row for
row and to the cent, with the same column types as far as the contract goes."""

from __future__ import annotations

import pytest
from conftest import BuiltWarehouse

pytestmark = pytest.mark.xdist_group("dbt")

# What differs by design: the landing's run id and extraction time are the same pages here, so nothing does.
MARTS_QUERY = "select table_name from information_schema.tables where table_schema = 'marts' order by 1"


def mart_rows(built: BuiltWarehouse, table: str) -> list[tuple]:
    columns = [name for (name,) in built.rows(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
        "order by ordinal_position", [table])]
    return sorted(built.rows(f"select {', '.join(columns)} from marts.{table}"), key=repr)


def test_both_engines_build_every_model_and_test(warehouse: BuiltWarehouse, postgres_fixture: BuiltWarehouse):
    assert warehouse.build.success and postgres_fixture.build.success
    assert warehouse.build.statuses == postgres_fixture.build.statuses


def test_every_mart_is_the_same_on_postgresql_row_for_row(warehouse: BuiltWarehouse,
                                                          postgres_fixture: BuiltWarehouse):
    marts = [name for (name,) in warehouse.rows(MARTS_QUERY)]
    assert marts == [name for (name,) in postgres_fixture.rows(MARTS_QUERY)] and len(marts) == 16
    for table in marts:
        duck, postgres = mart_rows(warehouse, table), mart_rows(postgres_fixture, table)
        assert duck == postgres, table
        # Decimal('1.5') == Decimal('1.5000'): compare the scale each engine gives too
        assert [tuple(str(v) for v in row) for row in duck] == [tuple(str(v) for v in row) for row in postgres], table


def test_money_keeps_its_scale_on_both_engines(warehouse: BuiltWarehouse, postgres_fixture: BuiltWarehouse):
    query = "select total, balance_due from marts.fct_sales where document_id = '122'"
    assert [str(v) for v in warehouse.rows(query)[0]] == [str(v) for v in postgres_fixture.rows(query)[0]] == [
        "12345678901234.5678", "12345678901234.5678"]
