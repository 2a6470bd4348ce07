"""Records that fail typing are quarantined with a reason and kept out of every mart."""

from conftest import BuiltWarehouse


def test_quarantine_lists_every_bad_record_with_field_and_reason(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, source, entity, record_key, field, reason from staging.stg_quarantined_records order by all")
    assert rows == [
        ("acme_ec", "troyansys", "inventory", "59", "quantity", "negative quantity"),
        ("acme_ec", "troyansys", "sales", "124", "pending_balance", "more than 4 decimal places"),
        ("acme_ec", "troyansys", "sales", "124", "subtotal", "more than 4 decimal places"),
        ("acme_ec", "troyansys", "sales", "124", "total", "more than 4 decimal places"),
        ("acme_ec", "troyansys", "sales", "125", "due_date", "impossible or malformed date"),
        ("acme_ec", "troyansys", "sales", "127", "pending_balance", "not a number"),
        ("acme_ec", "troyansys", "sales", "127", "subtotal", "not a number"),
        ("acme_ec", "troyansys", "sales", "127", "total", "not a number"),
        ("contable_co", "serpi", "documents", "114", "detalles[1].valor", "not a number"),
        ("contable_co", "serpi", "documents", "115", "detalles[1].valor", "more than 4 decimal places"),
        ("contable_co", "serpi", "documents", "115", "detalles[2].valor", "more than 4 decimal places"),
        ("contable_co", "serpi", "documents", "117", "fechaDocumento", "impossible or malformed date"),
        ("inmobiliaria_co", "arrendasoft", "invoices", "1010", "record", "conflicting duplicate"),
        ("tienda_sv", "smartpyme", "sales", "5005", "detalles[1].cantidad", "negative quantity"),
        ("tienda_sv", "smartpyme", "sales", None, "id", "missing field"),
    ]


def test_quarantine_keeps_the_raw_value_as_sent(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select record_key, field, raw_value from staging.stg_quarantined_records "
        "where record_key in ('125', '127', '114') and field in ('due_date', 'total', 'detalles[1].valor') "
        "order by 1")
    assert rows == [("114", "detalles[1].valor", "12,50"), ("125", "due_date", "2025-02-30"),
                    ("127", "total", "12,50")]


def test_five_decimal_amount_with_nonzero_fifth_decimal_is_never_rounded_into_a_mart(
        warehouse: BuiltWarehouse) -> None:
    assert warehouse.one(
        "select raw_value from staging.stg_quarantined_records where record_key = '124' and field = 'total'"
    ) == "10.12345"
    assert warehouse.one("select count(*) from marts.fct_sales where document_id = '124'") == 0


def test_five_decimal_amount_with_zero_fifth_decimal_is_loaded(warehouse: BuiltWarehouse) -> None:
    from decimal import Decimal

    assert warehouse.one(
        "select sum(debit) from marts.fct_journal_lines where entry_id = '112'") == Decimal("1000000.5000")


def test_quarantined_records_are_in_no_mart(warehouse: BuiltWarehouse) -> None:
    assert warehouse.one(
        "select count(*) from marts.fct_sales where document_id in ('124', '125', '127', '5005')") == 0
    assert warehouse.one("select count(*) from marts.fct_sales_lines where document_id = '5005'") == 0
    assert warehouse.one(
        "select count(*) from marts.fct_journal_lines where entry_id in ('114', '115', '117')") == 0
    assert warehouse.one("select count(*) from marts.fct_inventory_valuation where product_id = '13'") == 0


def test_conflicting_duplicate_keeps_the_later_page_deterministically(warehouse: BuiltWarehouse) -> None:
    from decimal import Decimal

    rows = warehouse.rows(
        "select snapshot_date::varchar, balance_due from marts.fct_invoice_balance_snapshots "
        "where document_id = '1010'")
    assert rows == [("2025-04-30", Decimal("60000.0000"))]
