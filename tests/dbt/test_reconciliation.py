"""rpt_reconciliation compares what each source reported with the marts: match only at difference zero."""

from decimal import Decimal

from conftest import BuiltWarehouse

CHECK_NAMES = {
    "troyansys.sales.total", "troyansys.sales.docs", "troyansys.sales.pending_total", "troyansys.purchases.total",
    "troyansys.accounting.debit_total", "troyansys.accounting.credit_total", "troyansys.inventory.total_value",
    "smartpyme.sales.total_ventas", "smartpyme.sales.cantidad_ventas", "smartpyme.sales.total_iva",
    "serpi.documents.count", "serpi.journal.debits_vs_credits", "arrendasoft.invoices.total_records",
}


def test_every_check_name_of_the_contract_is_present(warehouse: BuiltWarehouse) -> None:
    names = {row[0] for row in warehouse.rows("select distinct check_name from marts.rpt_reconciliation")}
    assert names == CHECK_NAMES


def test_clean_windows_match_exactly(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select check_name, expected, actual from marts.rpt_reconciliation "
        "where tenant = 'acme_ec' and window_start = '2025-01-01' order by 1")
    assert rows == [
        ("troyansys.accounting.credit_total", Decimal("259"), Decimal("259")),
        ("troyansys.accounting.debit_total", Decimal("270"), Decimal("270")),
        ("troyansys.purchases.total", Decimal("662.12"), Decimal("662.12")),
        ("troyansys.sales.docs", Decimal("4"), Decimal("4")),
        ("troyansys.sales.pending_total", Decimal("128"), Decimal("128")),
        ("troyansys.sales.total", Decimal("12345678901442.5678"), Decimal("12345678901442.5678")),
    ]
    assert warehouse.rows(
        "select distinct status from marts.rpt_reconciliation where tenant = 'acme_ec' and window_start = '2025-01-01'"
    ) == [("match",)]


def test_quarantined_records_and_unbalanced_documents_show_as_mismatches(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, check_name, coalesce(window_start::varchar, snapshot_date::varchar), expected, actual, "
        "difference from marts.rpt_reconciliation where status = 'mismatch' order by 1, 2, 3")
    assert rows == [
        ("acme_ec", "troyansys.sales.docs", "2025-02-01", Decimal("4"), Decimal("1"), Decimal("-3")),
        ("acme_ec", "troyansys.sales.pending_total", "2025-02-01", Decimal("43.12345"), Decimal("20.5"),
         Decimal("-22.62345")),
        ("acme_ec", "troyansys.sales.total", "2025-02-01", Decimal("55.62345"), Decimal("20.5"),
         Decimal("-35.12345")),
        ("contable_co", "serpi.journal.debits_vs_credits", "2025-03-01", Decimal("1118150.75"),
         Decimal("1113150.75"), Decimal("-5000")),
        ("tienda_sv", "smartpyme.sales.cantidad_ventas", "2025-03-01", Decimal("7"), Decimal("5"), Decimal("-2")),
        ("tienda_sv", "smartpyme.sales.total_iva", "2025-03-01", Decimal("64.35"), Decimal("59.80"),
         Decimal("-4.55")),
        ("tienda_sv", "smartpyme.sales.total_ventas", "2025-03-01", Decimal("1794.9178"), Decimal("1755.3678"),
         Decimal("-39.55")),
    ]


def test_a_window_the_extractor_split_is_reconciled_as_one_window(warehouse: BuiltWarehouse) -> None:
    """SERPI refused March whole; its two halves' counts (3 + 4, one document with an impossible date) add up
    to the documents landed for the month: one check, one window."""
    assert warehouse.rows(
        "select window_start::varchar, window_end::varchar, expected, actual, status from marts.rpt_reconciliation "
        "where check_name = 'serpi.documents.count' and window_start = '2025-03-01'"
    ) == [("2025-03-01", "2025-03-31", Decimal("7"), Decimal("7"), "match")]


def test_snapshot_checks_have_no_window(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select check_name, snapshot_date::varchar, expected, actual, status from marts.rpt_reconciliation "
        "where window_start is null order by 1, 2")
    assert rows == [
        ("arrendasoft.invoices.total_records", "2025-03-31", Decimal("5"), Decimal("5"), "match"),
        ("arrendasoft.invoices.total_records", "2025-04-30", Decimal("10"), Decimal("10"), "match"),
        ("troyansys.inventory.total_value", "2025-04-30", Decimal("45.35"), Decimal("45.35"), "match"),
    ]
