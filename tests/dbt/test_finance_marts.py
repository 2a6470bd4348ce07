"""Journal lines, trial balance, unbalanced entries and inventory valuation, with hand-computed answers."""

import json
from decimal import Decimal

from conftest import BuiltWarehouse

STATEMENT_TESTS = ("assert_income_statement_ties_to_trial_balance", "assert_balance_sheet_ties_to_trial_balance",
                   "assert_balance_sheet_difference_is_the_unbalanced_entries")


def test_unbalanced_posted_entries_are_listed_and_nothing_else(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, source, entry_id, document_number, entry_date::varchar, debit, credit, difference "
        "from marts.rpt_unbalanced_entries order by 1")
    assert rows == [
        ("acme_ec", "troyansys", "23", "AS-23", "2025-01-25", Decimal("10.0000"), Decimal("9.0000"),
         Decimal("1.0000")),
        ("contable_co", "serpi", "113", "COM-2", "2025-03-12", Decimal("50000.0000"), Decimal("45000.0000"),
         Decimal("5000.0000")),
    ]


def test_unbalanced_serpi_document_is_kept_in_journal_lines(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select line_number, account, account_class, nature, debit, credit, document_type, third_party_id "
        "from marts.fct_journal_lines where entry_id = '113' order by 1")
    assert rows == [
        (1, "52954501", "5", "D", Decimal("50000.0000"), Decimal("0.0000"), "COM", "1234567890"),
        (2, "23359501", "2", "C", Decimal("0.0000"), Decimal("45000.0000"), "COM", "1234567890"),
    ]


def test_serpi_third_party_falls_back_to_header_and_zero_lines_are_kept(warehouse: BuiltWarehouse) -> None:
    assert warehouse.one(
        "select third_party_id from marts.fct_journal_lines where entry_id = '101' and nature = 'C'") == "900123456"
    assert warehouse.one(
        "select debit from marts.fct_journal_lines where entry_id = '116' and line_number = 3") == Decimal("0.0000")


def test_journal_lines_per_tenant(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, currency, status, count(*), sum(debit), sum(credit) from marts.fct_journal_lines "
        "group by all order by 1, 3")
    assert rows == [
        ("acme_ec", "USD", "draft", 2, Decimal("30.0000"), Decimal("20.0000")),
        ("acme_ec", "USD", "posted", 2, Decimal("150.0000"), Decimal("150.0000")),
        ("contable_co", "COP", "posted", 11, Decimal("1118650.7500"), Decimal("1113650.7500")),
    ]


def test_trial_balance_zero_fills_months_and_accumulates_closing_balance(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select period::varchar, debit, credit, net, closing_balance from marts.fct_journal_balance "
        "where tenant = 'contable_co' and account = '11050501' order by period")
    assert rows == [
        ("2025-01-01", Decimal("500.0000"), Decimal("0.0000"), Decimal("500.0000"), Decimal("500.0000")),
        ("2025-02-01", Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000"), Decimal("500.0000")),
        ("2025-03-01", Decimal("1000250.7500"), Decimal("0.0000"), Decimal("1000250.7500"), Decimal("1000750.7500")),
        ("2025-04-01", Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000"), Decimal("1000750.7500")),
    ]


def test_trial_balance_rows_start_at_each_accounts_first_posted_month(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, account, account_class, count(*), min(period)::varchar, max(period)::varchar, "
        "arg_max(closing_balance, period) from marts.fct_journal_balance group by all order by 1, 2")
    assert rows == [
        ("acme_ec", "1101", "1", 1, "2025-01-01", "2025-01-01", Decimal("150.0000")),
        ("acme_ec", "4101", "4", 1, "2025-01-01", "2025-01-01", Decimal("-150.0000")),
        ("contable_co", "11050501", "1", 4, "2025-01-01", "2025-04-01", Decimal("1000750.7500")),
        ("contable_co", "23359501", "2", 2, "2025-03-01", "2025-04-01", Decimal("-112900.0000")),
        ("contable_co", "41350501", "4", 4, "2025-01-01", "2025-04-01", Decimal("-1000750.7500")),
        ("contable_co", "52954501", "5", 2, "2025-03-01", "2025-04-01", Decimal("117900.0000")),
    ]


def test_inventory_value_is_total_value_else_rounded_product_else_null(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select warehouse_id, product_id, quantity, unit_cost, inventory_value, snapshot_date::varchar "
        "from marts.fct_inventory_valuation order by 1, 2")
    assert rows == [
        ("1", "10", Decimal("120.0000"), Decimal("0.3500"), Decimal("42.0000"), "2025-04-30"),
        ("1", "11", Decimal("0.0000"), Decimal("2.5000"), Decimal("0.0000"), "2025-04-30"),
        ("2", "10", Decimal("3.3330"), Decimal("1.0050"), Decimal("3.3500"), "2025-04-30"),
        ("2", "12", Decimal("5.0000"), None, None, "2025-04-30"),
    ]


def test_income_statement_by_month_with_year_to_date(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, period::varchar, income, costs_and_expenses, net_income, net_income_ytd "
        "from marts.rpt_income_statement order by 1, 2")
    assert rows == [  # acme_ec: the draft entry 22 is left out
        ("acme_ec", "2025-01-01", Decimal("150.0000"), Decimal("0.0000"), Decimal("150.0000"), Decimal("150.0000")),
        ("contable_co", "2025-01-01", Decimal("500.0000"), Decimal("0.0000"), Decimal("500.0000"), Decimal("500.0000")),
        ("contable_co", "2025-02-01", Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000"), Decimal("500.0000")),
        ("contable_co", "2025-03-01", Decimal("1000250.7500"), Decimal("117900.0000"), Decimal("882350.7500"),
         Decimal("882850.7500")),
        ("contable_co", "2025-04-01", Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000"), Decimal("882850.7500")),
    ]


def test_balance_sheet_difference_is_the_unbalanced_documents_imbalance(warehouse: BuiltWarehouse) -> None:
    """contable_co's document 113 (March) is 5000 short of credits; acme_ec's unbalanced entry 23 has no lines."""
    rows = warehouse.rows(
        "select tenant, period::varchar, assets, liabilities, equity, result_to_date, difference "
        "from marts.rpt_balance_sheet order by 1, 2")
    zero = Decimal("0.0000")
    assert rows == [
        ("acme_ec", "2025-01-01", Decimal("150.0000"), zero, zero, Decimal("150.0000"), zero),
        ("contable_co", "2025-01-01", Decimal("500.0000"), zero, zero, Decimal("500.0000"), zero),
        ("contable_co", "2025-02-01", Decimal("500.0000"), zero, zero, Decimal("500.0000"), zero),
        ("contable_co", "2025-03-01", Decimal("1000750.7500"), Decimal("112900.0000"), zero, Decimal("882850.7500"),
         Decimal("5000.0000")),
        ("contable_co", "2025-04-01", Decimal("1000750.7500"), Decimal("112900.0000"), zero, Decimal("882850.7500"),
         Decimal("5000.0000")),
    ]


def test_statement_integrity_tests_are_errors_and_pass(warehouse: BuiltWarehouse) -> None:
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    tests = {node["name"]: node["config"]["severity"] for node in manifest["nodes"].values()
             if node["resource_type"] == "test" and node["name"].startswith(STATEMENT_TESTS)}
    assert tests == dict.fromkeys(STATEMENT_TESTS, "error")
    assert {name: warehouse.build.statuses[name] for name in tests} == dict.fromkeys(STATEMENT_TESTS, "pass")
