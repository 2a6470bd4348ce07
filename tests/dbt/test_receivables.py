"""fct_receivables and rpt_receivables_aging as of the run's as_of_date, at the bucket boundaries."""

from decimal import Decimal

from conftest import BuiltWarehouse


def test_days_past_due_and_buckets_at_boundary_days(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select document_id, due_date::varchar, days_past_due, aging_bucket, balance_due from marts.fct_receivables "
        "where tenant = 'inmobiliaria_co' order by document_id")
    assert rows == [
        ("1001", "2025-04-30", 0, "current", Decimal("1000000.0000")),
        ("1002", "2025-04-29", 1, "1-30", Decimal("500000.0000")),
        ("1003", "2025-03-31", 30, "1-30", Decimal("200000.2500")),
        ("1004", "2025-03-30", 31, "31-60", Decimal("100000.0000")),
        ("1005", "2025-01-30", 90, "61-90", Decimal("250000.0000")),
        ("1006", "2025-01-29", 91, "91+", Decimal("75000.0000")),
        ("1010", "2025-04-10", 20, "1-30", Decimal("60000.0000")),
    ]


def test_paid_annulled_and_future_invoices_are_not_receivable(warehouse: BuiltWarehouse) -> None:
    assert warehouse.one(
        "select count(*) from marts.fct_receivables where document_id in ('1007', '1008', '1009')") == 0


def test_receivables_of_troyansys_and_smartpyme(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, document_id, original_amount, balance_due, days_past_due, aging_bucket, as_of_date::varchar "
        "from marts.fct_receivables where tenant in ('acme_ec', 'tienda_sv') order by 1, 2")
    assert rows == [
        ("acme_ec", "120", Decimal("46.0000"), Decimal("16.0000"), 95, "91+", "2025-04-30"),
        ("acme_ec", "121", Decimal("112.0000"), Decimal("112.0000"), 105, "91+", "2025-04-30"),
        ("acme_ec", "126", Decimal("20.5000"), Decimal("20.5000"), 47, "31-60", "2025-04-30"),
        ("tienda_sv", "5004", Decimal("1235.5678"), Decimal("1000.1234"), 11, "1-30", "2025-04-30"),
    ]


def test_aging_report_groups_by_customer_and_bucket(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, currency, customer_id, customer_name, aging_bucket, documents, balance_due "
        "from marts.rpt_receivables_aging order by 1, 3, 4, 5")
    assert rows == [
        ("acme_ec", "USD", "7", "Cliente Uno", "31-60", 1, Decimal("20.5000")),
        ("acme_ec", "USD", "7", "Cliente Uno", "91+", 1, Decimal("16.0000")),
        ("acme_ec", "USD", "8", "Cliente Dos", "91+", 1, Decimal("112.0000")),
        ("inmobiliaria_co", "COP", "900", "Ana", "1-30", 2, Decimal("560000.0000")),
        ("inmobiliaria_co", "COP", "900", "Ana", "current", 1, Decimal("1000000.0000")),
        ("inmobiliaria_co", "COP", "901", "Beto", "1-30", 1, Decimal("200000.2500")),
        ("inmobiliaria_co", "COP", "901", "Beto", "31-60", 1, Decimal("100000.0000")),
        ("inmobiliaria_co", "COP", "902", "Carla", "61-90", 1, Decimal("250000.0000")),
        ("inmobiliaria_co", "COP", "902", "Carla", "91+", 1, Decimal("75000.0000")),
        ("tienda_sv", "USD", None, "Juan Pérez", "1-30", 1, Decimal("1000.1234")),
    ]


def test_invoice_balance_history_is_kept_across_snapshots(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select snapshot_date::varchar, status, total, balance_due from marts.fct_invoice_balance_snapshots "
        "where document_id = '1003' order by 1")
    assert rows == [("2025-03-31", "Facturada", Decimal("300000.5000"), Decimal("300000.5000")),
                    ("2025-04-30", "Facturada", Decimal("300000.5000"), Decimal("200000.2500"))]
    assert warehouse.rows(
        "select snapshot_date::varchar, count(*) from marts.fct_invoice_balance_snapshots group by 1 order by 1"
    ) == [("2025-03-31", 5), ("2025-04-30", 10)]
