"""fct_sales, fct_sales_lines and fct_purchases hold the latest valid version of every document, exactly."""

from decimal import Decimal

from conftest import BuiltWarehouse


def test_sales_counts_and_totals_per_tenant_to_the_cent(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, source, currency, count(*), sum(total) from marts.fct_sales group by all order by 1")
    assert rows == [
        ("acme_ec", "troyansys", "USD", 5, Decimal("12345678901463.0678")),
        ("inmobiliaria_co", "arrendasoft", "COP", 10, Decimal("2415000.5000")),
        ("tienda_sv", "smartpyme", "USD", 6, Decimal("1777.9678")),
    ]


def test_fourteen_digit_amount_with_four_decimals_is_kept_exactly(warehouse: BuiltWarehouse) -> None:
    total = warehouse.one("select total from marts.fct_sales where tenant = 'acme_ec' and document_id = '122'")
    assert total == Decimal("12345678901234.5678")


def test_document_repeated_across_pages_is_loaded_once(warehouse: BuiltWarehouse) -> None:
    assert warehouse.one("select count(*) from marts.fct_sales where tenant = 'acme_ec' and document_id = '121'") == 1
    assert warehouse.one(
        "select count(*) from marts.fct_sales where tenant = 'inmobiliaria_co' and document_id = '1004'") == 1


def test_troyansys_document_number_is_series_dash_number_and_due_date_falls_back_to_issue(
        warehouse: BuiltWarehouse) -> None:
    row = warehouse.one(
        "select document_number, due_date::varchar, customer_id, balance_due, paid_amount from marts.fct_sales "
        "where tenant = 'acme_ec' and document_id = '121'")
    assert row == ("001-001-000000121", "2025-01-15", "8", Decimal("112.0000"), Decimal("0.0000"))


def test_smartpyme_sale_annulled_later_ends_up_annulled_with_only_its_new_lines(warehouse: BuiltWarehouse) -> None:
    sale = warehouse.one(
        "select status, total, tax, is_void from marts.fct_sales where tenant = 'tienda_sv' and document_id = '5001'")
    assert sale == ("Anulada", Decimal("113.0000"), Decimal("13.0000"), True)
    lines = warehouse.rows(
        "select line_number, product_code, line_total from marts.fct_sales_lines "
        "where tenant = 'tienda_sv' and document_id = '5001'")
    assert lines == [(1, "CUA-01", Decimal("100.0000"))]


def test_smartpyme_latest_updated_at_wins_even_when_it_was_on_an_earlier_page(warehouse: BuiltWarehouse) -> None:
    sale = warehouse.one(
        "select status, balance_due, paid_amount from marts.fct_sales "
        "where tenant = 'tienda_sv' and document_id = '5002'")
    assert sale == ("Completada", Decimal("0.0000"), Decimal("56.5000"))


def test_smartpyme_columns_follow_the_contract(warehouse: BuiltWarehouse) -> None:
    row = warehouse.one(
        "select document_number, document_type, customer_id, customer_name, subtotal, tax, discount, total, "
        "paid_amount, balance_due, due_date::varchar from marts.fct_sales "
        "where tenant = 'tienda_sv' and document_id = '5004'")
    assert row == ("FAC-000103", "Factura", None, "Juan Pérez", Decimal("1234.5678"), Decimal("0.0000"),
                   Decimal("0.0000"), Decimal("1235.5678"), Decimal("235.4444"), Decimal("1000.1234"),
                   "2025-04-19")


def test_quotation_is_flagged_and_kept(warehouse: BuiltWarehouse) -> None:
    assert warehouse.one(
        "select is_quotation from marts.fct_sales where tenant = 'tienda_sv' and document_id = '5003'") is True
    assert warehouse.one(
        "select is_quotation from marts.fct_sales where tenant = 'acme_ec' and document_id = '122'") is True


def test_sales_lines_total_margin_and_count(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select count(*), sum(line_total), sum(cost_total), sum(gross_margin) from marts.fct_sales_lines")
    assert rows == [(6, Decimal("1714.5678"), Decimal("1137.5000"), Decimal("577.0678"))]


def test_line_sold_below_cost_has_negative_gross_margin(warehouse: BuiltWarehouse) -> None:
    row = warehouse.one(
        "select quantity, unit_price, line_total, cost_total, gross_margin, issue_date::varchar "
        "from marts.fct_sales_lines where document_id = '5002'")
    assert row == (Decimal("2.5000"), Decimal("20.0000"), Decimal("50.0000"), Decimal("62.5000"),
                   Decimal("-12.5000"), "2025-03-12")


def test_arrendasoft_contributes_its_latest_snapshot_to_fct_sales(warehouse: BuiltWarehouse) -> None:
    row = warehouse.one(
        "select status, balance_due, paid_amount from marts.fct_sales "
        "where tenant = 'inmobiliaria_co' and document_id = '1007'")
    assert row == ("Pagada", Decimal("0.0000"), Decimal("80000.0000"))


def test_purchases_count_and_total(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.rows(
        "select tenant, currency, count(*), sum(total), string_agg(document_number, ',' order by document_id) "
        "from marts.fct_purchases group by all")
    assert rows == [("acme_ec", "USD", 2, Decimal("662.1200"), "001-001-000000041,002-001-000000041")]
