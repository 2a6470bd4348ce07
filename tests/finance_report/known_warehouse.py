"""A small warehouse with hand-written marts whose report figures are known, in portable SQL.

Four tenants: acme_ec (Troyansys, USD), tienda_sv (SmartPyme, USD), contable_co (SERPI, COP) and
inmobiliaria_co (Arrendasoft, COP). The run's as-of date is 2025-06-30. What it holds, on purpose:
- reconciliation: matches, a snapshot check, and three mismatches (one off by half a cent, one by a cent);
- receivables in every bucket (acme_ec), SmartPyme customers without an id, the same customer name in a
  USD tenant and a COP tenant, a paid document, a document issued after the as-of date;
- quotations, annulled documents and a pre-sale apart from sales;
- a trial balance (contable_co) whose June debits exceed credits by one cent, and the unbalanced entry;
- both financial statements for the two tenants with a journal: acme_ec's balance, contable_co's June carries
  the unbalanced cent as its balance sheet's difference;
- quarantined records of three reasons (seven of one, more than the page lists), one stale connection,
  one drifted field.
The statements run unchanged on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

AS_OF = date(2025, 6, 30)

TABLES = {
    "fct_sales": """
        tenant varchar, source varchar, currency varchar, document_id varchar, document_number varchar,
        document_type varchar, status varchar, issue_date date, due_date date, customer_id varchar,
        customer_name varchar, subtotal decimal(18,4), tax decimal(18,4), discount decimal(18,4),
        total decimal(18,4), paid_amount decimal(18,4), balance_due decimal(18,4), is_quotation boolean,
        is_void boolean, is_receivable_kind boolean""",
    "fct_receivables": """
        tenant varchar, source varchar, currency varchar, document_id varchar, document_number varchar,
        customer_id varchar, customer_name varchar, issue_date date, due_date date, as_of_date date,
        original_amount decimal(18,4), balance_due decimal(18,4), days_past_due integer, aging_bucket varchar""",
    "rpt_receivables_aging": """
        tenant varchar, currency varchar, customer_id varchar, customer_name varchar, as_of_date date,
        aging_bucket varchar, documents bigint, balance_due decimal(38,4)""",
    "fct_journal_balance": """
        tenant varchar, source varchar, currency varchar, period date, account varchar, account_class varchar,
        debit decimal(38,4), credit decimal(38,4), net decimal(38,4), closing_balance decimal(38,4)""",
    "rpt_income_statement": """
        tenant varchar, source varchar, currency varchar, period date, income decimal(38,4),
        costs_and_expenses decimal(38,4), net_income decimal(38,4), net_income_ytd decimal(38,4)""",
    "rpt_balance_sheet": """
        tenant varchar, source varchar, currency varchar, period date, assets decimal(38,4),
        liabilities decimal(38,4), equity decimal(38,4), result_to_date decimal(38,4), difference decimal(38,4)""",
    "rpt_unbalanced_entries": """
        tenant varchar, source varchar, entry_id varchar, document_number varchar, entry_date date,
        debit decimal(38,4), credit decimal(38,4), difference decimal(38,4)""",
    "rpt_reconciliation": """
        tenant varchar, source varchar, check_name varchar, window_start date, window_end date,
        expected decimal(38,10), actual decimal(38,10), difference decimal(38,10), status varchar,
        snapshot_date date""",
    "rpt_connection_freshness": """
        tenant varchar, source varchar, endpoint varchar, currency varchar, last_extracted_at timestamp,
        status varchar, stale_reason varchar, failed_at timestamp""",
    "rpt_schema_drift": """
        tenant varchar, source varchar, endpoint varchar, field varchar, first_partition varchar,
        last_partition varchar, pages bigint, records bigint""",
    "rpt_quarantined_records": """
        tenant varchar, source varchar, entity varchar, record_key varchar, field varchar, raw_value varchar,
        reason varchar, partition_key varchar, run_id varchar, page integer, record_position integer""",
}
REPORT_ONLY = ("rpt_connection_freshness", "rpt_schema_drift", "rpt_quarantined_records", "rpt_income_statement",
               "rpt_balance_sheet")

T, S, N = "acme_ec", "tienda_sv", "inmobiliaria_co"
# document_id, number, type, status, issue, due, customer_id, customer_name, total, balance, quotation, void, owed
SALES = [
    (T, "troyansys", "USD", "101", "F001-1", "invoice", "issued", "2025-06-20", "2025-07-05", "C1",
     "Ferreteria Andes", "1160.0000", "1160.0000", False, False, True),
    (T, "troyansys", "USD", "102", "F001-2", "invoice", "issued", "2025-05-10", "2025-06-09", "C1",
     "Ferreteria Andes", "580.5000", "580.5000", False, False, True),
    (T, "troyansys", "USD", "103", "F001-3", "invoice", "issued", "2025-04-15", "2025-05-15", "C2",
     "Distribuidora Quito", "2320.0000", "1000.2500", False, False, True),
    (T, "troyansys", "USD", "104", "F001-4", "invoice", "issued", "2025-03-20", "2025-04-19", "C3",
     "Hotel Pacifico & Cia <Manta>", "870.0000", "870.0000", False, False, True),
    (T, "troyansys", "USD", "105", "F001-5", "invoice", "issued", "2025-01-10", "2025-02-09", "C2",
     "Distribuidora Quito", "3480.0000", "3480.0000", False, False, True),
    (T, "troyansys", "USD", "106", "F001-6", "invoice", "issued", "2025-06-02", "2025-06-02", "C4",
     "Libreria Central", "99.9900", "0.0000", False, False, True),
    (T, "troyansys", "USD", "107", "Q001-1", "quotation", "draft", "2025-06-05", "2025-06-05", "C1",
     "Ferreteria Andes", "500.0000", "500.0000", True, False, False),
    (T, "troyansys", "USD", "108", "F001-7", "invoice", "cancelled", "2025-05-20", "2025-06-19", "C3",
     "Hotel Pacifico & Cia <Manta>", "300.0000", "300.0000", False, True, False),
    (T, "troyansys", "USD", "109", "F001-8", "invoice", "issued", "2025-07-02", "2025-08-01", "C1",
     "Ferreteria Andes", "200.0000", "200.0000", False, False, True),
    (S, "smartpyme", "USD", "201", "201", "Factura", "Pagada", "2025-05-03", "2025-05-03", None,
     "Comercial Andina", "45.1234", "0.0000", False, False, True),
    (S, "smartpyme", "USD", "202", "202", "Factura", "Pendiente", "2025-06-25", "2025-07-25", None,
     "Comercial Andina", "120.0000", "120.0000", False, False, True),
    (S, "smartpyme", "USD", "203", "203", "Credito fiscal", "Pendiente", "2025-05-01", "2025-06-15", None,
     "Super Sol", "75.5000", "75.5000", False, False, True),
    (S, "smartpyme", "USD", "204", "204", "Factura", "Pendiente", "2025-03-01", "2025-03-31", None,
     "Super Sol", "210.0000", "60.0000", False, False, True),
    (S, "smartpyme", "USD", "205", "205", "Cotizacion", "Cotizacion", "2025-06-10", "2025-06-10", None,
     "Super Sol", "999.0000", "999.0000", True, False, False),
    (S, "smartpyme", "USD", "206", "206", "Factura", "Anulada", "2025-06-12", "2025-06-12", None,
     "Comercial Andina", "33.3300", "33.3300", False, True, False),
    (S, "smartpyme", "USD", "207", "207", "Factura", "Pre-venta", "2025-06-28", "2025-06-28", None,
     "Super Sol", "10.0000", "10.0000", False, False, False),
    (N, "arrendasoft", "COP", "401", "FA-401", "FV", "Pendiente", "2025-06-01", "2025-06-30", "900",
     "Comercial Andina", "1500000.0000", "1500000.0000", False, False, True),
    (N, "arrendasoft", "COP", "402", "FA-402", "FV", "Pendiente", "2025-04-01", "2025-04-30", "901",
     "Inversiones Bogota", "2750000.5000", "2750000.5000", False, False, True),
    (N, "arrendasoft", "COP", "403", "FA-403", "FV", "Anulada", "2025-05-01", "2025-05-31", "901",
     "Inversiones Bogota", "800000.0000", "800000.0000", False, True, False),
]

# Open receivables as of 2025-06-30, by hand: document_id -> (days_past_due, bucket).
RECEIVABLES = {
    "101": (-5, "current"), "102": (21, "1-30"), "103": (46, "31-60"), "104": (72, "61-90"),
    "105": (141, "91+"), "202": (-25, "current"), "203": (15, "1-30"), "204": (91, "91+"),
    "401": (0, "current"), "402": (61, "61-90"),
}

# The known answers the tests also state literally (so a bug shared by the report and its check still shows).
KNOWN_BUCKETS = {
    T: {"current": "1160.0000", "1-30": "580.5000", "31-60": "1000.2500", "61-90": "870.0000", "91+": "3480.0000"},
    S: {"current": "120.0000", "1-30": "75.5000", "31-60": "0", "61-90": "0", "91+": "60.0000"},
    N: {"current": "1500000.0000", "1-30": "0", "31-60": "0", "61-90": "2750000.5000", "91+": "0"},
}

# tenant, source, currency, period, account, class, debit, credit, net, closing_balance
JOURNAL = [
    (T, "troyansys", "USD", "2025-05-01", "1105", "1", "1000.0000", "0.0000", "1000.0000", "1000.0000"),
    (T, "troyansys", "USD", "2025-05-01", "4135", "4", "0.0000", "862.0700", "-862.0700", "-862.0700"),
    (T, "troyansys", "USD", "2025-05-01", "2408", "2", "0.0000", "137.9300", "-137.9300", "-137.9300"),
    (T, "troyansys", "USD", "2025-06-01", "1105", "1", "500.0000", "0.0000", "500.0000", "1500.0000"),
    (T, "troyansys", "USD", "2025-06-01", "4135", "4", "0.0000", "431.0350", "-431.0350", "-1293.1050"),
    (T, "troyansys", "USD", "2025-06-01", "2408", "2", "0.0000", "68.9650", "-68.9650", "-206.8950"),
    (T, "troyansys", "USD", "2025-06-01", "1110", "1", "0.0000", "300.0000", "-300.0000", "-300.0000"),
    (T, "troyansys", "USD", "2025-06-01", "5105", "5", "300.0000", "0.0000", "300.0000", "300.0000"),
    ("contable_co", "serpi", "COP", "2025-04-01", "110505", "1", "5000000.0000", "0.0000", "5000000.0000",
     "5000000.0000"),
    ("contable_co", "serpi", "COP", "2025-04-01", "413524", "4", "0.0000", "4201680.6700", "-4201680.6700",
     "-4201680.6700"),
    ("contable_co", "serpi", "COP", "2025-04-01", "240801", "2", "0.0000", "798319.3300", "-798319.3300",
     "-798319.3300"),
    ("contable_co", "serpi", "COP", "2025-05-01", "110505", "1", "0.0000", "0.0000", "0.0000", "5000000.0000"),
    ("contable_co", "serpi", "COP", "2025-05-01", "130505", "1", "2380000.0000", "0.0000", "2380000.0000",
     "2380000.0000"),
    ("contable_co", "serpi", "COP", "2025-05-01", "413524", "4", "0.0000", "2000000.0000", "-2000000.0000",
     "-6201680.6700"),
    ("contable_co", "serpi", "COP", "2025-05-01", "240801", "2", "0.0000", "380000.0000", "-380000.0000",
     "-1178319.3300"),
    ("contable_co", "serpi", "COP", "2025-06-01", "110505", "1", "1190000.0000", "0.0000", "1190000.0000",
     "6190000.0000"),
    ("contable_co", "serpi", "COP", "2025-06-01", "130505", "1", "0.0000", "0.0000", "0.0000", "2380000.0000"),
    ("contable_co", "serpi", "COP", "2025-06-01", "413524", "4", "0.0000", "1000000.0000", "-1000000.0000",
     "-7201680.6700"),
    ("contable_co", "serpi", "COP", "2025-06-01", "240801", "2", "0.0000", "189999.9900", "-189999.9900",
     "-1368319.3200"),
]

# The statements of JOURNAL, by hand. tenant, source, currency, period, income, costs, net, year to date
INCOME_STATEMENT = [
    (T, "troyansys", "USD", "2025-05-01", "862.0700", "0.0000", "862.0700", "862.0700"),
    (T, "troyansys", "USD", "2025-06-01", "431.0350", "300.0000", "131.0350", "993.1050"),
    ("contable_co", "serpi", "COP", "2025-04-01", "4201680.6700", "0.0000", "4201680.6700", "4201680.6700"),
    ("contable_co", "serpi", "COP", "2025-05-01", "2000000.0000", "0.0000", "2000000.0000", "6201680.6700"),
    ("contable_co", "serpi", "COP", "2025-06-01", "1000000.0000", "0.0000", "1000000.0000", "7201680.6700"),
]
# tenant, source, currency, period, assets, liabilities, equity, result_to_date, difference
BALANCE_SHEET = [
    (T, "troyansys", "USD", "2025-05-01", "1000.0000", "137.9300", "0.0000", "862.0700", "0.0000"),
    (T, "troyansys", "USD", "2025-06-01", "1200.0000", "206.8950", "0.0000", "993.1050", "0.0000"),
    ("contable_co", "serpi", "COP", "2025-04-01", "5000000.0000", "798319.3300", "0.0000", "4201680.6700", "0.0000"),
    ("contable_co", "serpi", "COP", "2025-05-01", "7380000.0000", "1178319.3300", "0.0000", "6201680.6700",
     "0.0000"),
    ("contable_co", "serpi", "COP", "2025-06-01", "8570000.0000", "1368319.3200", "0.0000", "7201680.6700",
     "0.0100"),
]

UNBALANCED = [
    ("contable_co", "serpi", "7781", "CC-7781", "2025-06-18", "1190000.0000", "1189999.9900", "0.0100"),
]


# tenant, source, check_name, window_start, window_end, expected, actual, difference, status, snapshot_date
RECONCILIATION = [
    (T, "troyansys", "troyansys.sales.total", "2025-05-01", "2025-05-31", "3480.5000", "3480.5000", "0", "match",
     None),
    (T, "troyansys", "troyansys.sales.total", "2025-06-01", "2025-06-30", "1859.9900", "1759.9900", "-100.0000",
     "mismatch", None),
    (T, "troyansys", "troyansys.sales.docs", "2025-05-01", "2025-05-31", "3", "3", "0", "match", None),
    (T, "troyansys", "troyansys.sales.docs", "2025-06-01", "2025-06-30", "4", "4", "0", "match", None),
    (T, "troyansys", "troyansys.inventory.total_value", None, None, "15234.1200", "15234.1200", "0", "match",
     "2025-06-30"),
    (S, "smartpyme", "smartpyme.sales.total_ventas", "2025-05-01", "2025-05-31", "45.1234", "45.1234", "0",
     "match", None),
    (S, "smartpyme", "smartpyme.sales.total_ventas", "2025-06-01", "2025-06-30", "130.0000", "130.0000", "0",
     "match", None),
    (S, "smartpyme", "smartpyme.sales.cantidad_ventas", "2025-06-01", "2025-06-30", "2", "2", "0", "match", None),
    (S, "smartpyme", "smartpyme.sales.total_iva", "2025-06-01", "2025-06-30", "15.6000", "15.6050", "0.0050",
     "mismatch", None),
    ("contable_co", "serpi", "serpi.documents.count", "2025-04-01", "2025-04-30", "12", "12", "0", "match", None),
    ("contable_co", "serpi", "serpi.documents.count", "2025-05-01", "2025-05-31", "9", "9", "0", "match", None),
    ("contable_co", "serpi", "serpi.documents.count", "2025-06-01", "2025-06-30", "10", "10", "0", "match", None),
    ("contable_co", "serpi", "serpi.journal.debits_vs_credits", "2025-05-01", "2025-05-31", "2380000.0000",
     "2380000.0000", "0", "match", None),
    ("contable_co", "serpi", "serpi.journal.debits_vs_credits", "2025-06-01", "2025-06-30", "1190000.0000",
     "1189999.9900", "-0.0100", "mismatch", None),
    (N, "arrendasoft", "arrendasoft.invoices.total_records", None, None, "3", "3", "0", "match", "2025-06-30"),
]

FRESHNESS = [
    (T, "troyansys", "sales", "USD", "2025-06-30 23:10:04", "fresh", None, None),
    (T, "troyansys", "accounting", "USD", "2025-06-30 23:12:40", "fresh", None, None),
    (S, "smartpyme", "sales", "USD", "2025-06-27 23:05:00", "stale", "HTTP 401 Unauthorized: the API key was refused",
     "2025-06-30 23:06:12"),
    ("contable_co", "serpi", "documents", "COP", "2025-06-30 23:20:00", "fresh", None, None),
    (N, "arrendasoft", "invoices", "COP", "2025-06-30 23:25:31", "fresh", None, None),
]

DRIFT = [(S, "smartpyme", "sales", "descuento", "2025-06", "2025-06", 1, 2)]

QUARANTINE = [
    *[(T, "troyansys", "sales", f"55{i}", "issue_date", f"2025-02-3{i % 2}", "impossible or malformed date",
       "2025-02", "run-0630", 3, 10 - i) for i in range(7)],
    (T, "troyansys", "purchases", "88", "total", "12.34567", "more than 4 decimal places", "2025-05", "run-0630",
     1, 2),
    (S, "smartpyme", "sales", "990", "descuento", None, "missing field", "2025-06", "run-0630", 2, 1),
    (S, "smartpyme", "sales", "991", "descuento", None, "missing field", "2025-06", "run-0630", 2, 2),
]


def literal(value: object) -> str:
    """A value as portable SQL text: strings quoted, dates and timestamps typed by their column on insert."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert(table: str, rows: list[tuple]) -> str:
    values = ",\n".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
    return f"insert into marts.{table} values\n{values}"


def sales_rows() -> list[tuple]:
    """fct_sales rows: subtotal = total, tax 0, discount unknown (NULL), paid = total - balance."""
    rows = []
    for tenant, source, currency, doc, number, kind, status, issue, due, cid, name, total, balance, *flags in SALES:
        paid = str(Decimal(total) - Decimal(balance))
        rows.append((tenant, source, currency, doc, number, kind, status, issue, due, cid, name, total, "0.0000",
                     None, total, paid, balance, *flags))
    return rows


def receivable_rows() -> list[tuple]:
    rows = []
    for tenant, source, currency, doc, number, _k, _s, issue, due, cid, name, total, balance, *_ in SALES:
        if doc in RECEIVABLES:
            days, bucket = RECEIVABLES[doc]
            rows.append((tenant, source, currency, doc, number, cid, name, issue, due, AS_OF.isoformat(), total,
                         balance, days, bucket))
    return rows


def statements(*, report_only: bool = True, extra_reconciliation: list[tuple] | None = None) -> list[str]:
    """Every statement that builds the marts; without `report_only` the report-only (newest) marts are left out."""
    tables = {name: columns for name, columns in TABLES.items() if report_only or name not in REPORT_ONLY}
    result = ["create schema marts"]
    result += [f"create table marts.{name} ({columns})" for name, columns in tables.items()]
    result += [
        insert("fct_sales", sales_rows()),
        insert("fct_receivables", receivable_rows()),
        # rpt_receivables_aging as its dbt model builds it from fct_receivables
        "insert into marts.rpt_receivables_aging"
        " select tenant, currency, customer_id, customer_name, as_of_date, aging_bucket, count(*),"
        " sum(balance_due) from marts.fct_receivables"
        " group by tenant, currency, customer_id, customer_name, as_of_date, aging_bucket",
        insert("fct_journal_balance", JOURNAL),
        insert("rpt_unbalanced_entries", UNBALANCED),
        insert("rpt_reconciliation", RECONCILIATION + (extra_reconciliation or [])),
    ]
    if report_only:
        result += [insert("rpt_connection_freshness", FRESHNESS), insert("rpt_schema_drift", DRIFT),
                   insert("rpt_quarantined_records", QUARANTINE), insert("rpt_income_statement", INCOME_STATEMENT),
                   insert("rpt_balance_sheet", BALANCE_SHEET)]
    return result
