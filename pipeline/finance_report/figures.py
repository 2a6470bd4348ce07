"""The report's figures, read from the published marts with portable SQL (DuckDB and PostgreSQL alike).

Every statement here runs unchanged on both engines: schema-qualified `marts.<table>`, no parameters, no
engine-only functions. Amounts stay `Decimal` from the database to the page; nothing is added across tenants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

Query = Callable[[str], list[tuple]]

# Marts the warehouse contract promises: a warehouse without them has never been built.
REQUIRED_TABLES = (
    "fct_sales", "fct_receivables", "rpt_receivables_aging", "fct_journal_balance",
    "rpt_unbalanced_entries", "rpt_reconciliation",
)
# Report-only marts: the section says so when one is missing (they are newer than the contract's marts).
REPORT_ONLY_TABLES = ("rpt_connection_freshness", "rpt_schema_drift", "rpt_quarantined_records",
                      "rpt_income_statement", "rpt_balance_sheet")
CURRENCY_TABLES = (
    "fct_sales", "fct_receivables", "rpt_receivables_aging", "fct_journal_balance", "fct_purchases",
    "fct_inventory_valuation", "fct_invoice_balance_snapshots", "rpt_connection_freshness",
    "rpt_income_statement", "rpt_balance_sheet",
)
TENANT_TABLES = ("rpt_reconciliation", "rpt_unbalanced_entries", "rpt_quarantined_records", "rpt_schema_drift")
BUCKETS = ("current", "1-30", "31-60", "61-90", "91+")
SALES_KINDS = ("sale", "quotation", "annulled")
QUARANTINE_SAMPLE = 5  # first rows shown per tenant and reason


class ReportError(RuntimeError):
    """The marts cannot give a report (not built, or a tenant in several currencies)."""


@dataclass(frozen=True)
class Check:
    tenant: str
    source: str
    check_name: str
    window_start: date | None
    window_end: date | None
    snapshot_date: date | None
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    status: str

    @property
    def is_match(self) -> bool:
        return self.status == "match"

    @property
    def latest(self) -> date | None:
        return self.window_end or self.snapshot_date


@dataclass(frozen=True)
class AgingRow:
    tenant: str
    customer_id: str | None
    customer_name: str | None
    aging_bucket: str
    documents: int
    balance_due: Decimal


@dataclass(frozen=True)
class SalesMonth:
    tenant: str
    month: date
    kind: str
    documents: int
    total: Decimal | None


@dataclass(frozen=True)
class SalesStatus:
    tenant: str
    document_type: str | None
    status: str | None
    kind: str
    documents: int
    total: Decimal | None


@dataclass(frozen=True)
class TrialBalanceRow:
    tenant: str
    period: date
    account_class: str | None
    debit: Decimal
    credit: Decimal
    closing_balance: Decimal


@dataclass(frozen=True)
class IncomeStatementMonth:
    tenant: str
    period: date
    income: Decimal
    costs_and_expenses: Decimal
    net_income: Decimal
    net_income_ytd: Decimal


@dataclass(frozen=True)
class BalanceSheetMonth:
    tenant: str
    period: date
    assets: Decimal
    liabilities: Decimal
    equity: Decimal
    result_to_date: Decimal
    difference: Decimal


@dataclass(frozen=True)
class UnbalancedEntry:
    tenant: str
    source: str
    entry_id: str
    document_number: str | None
    entry_date: date | None
    debit: Decimal | None
    credit: Decimal | None
    difference: Decimal | None


@dataclass(frozen=True)
class QuarantineCount:
    tenant: str
    source: str
    entity: str
    reason: str
    records: int


@dataclass(frozen=True)
class QuarantinedRecord:
    tenant: str
    source: str
    entity: str
    record_key: str | None
    field: str | None
    raw_value: str | None
    reason: str
    partition_key: str | None
    run_id: str | None
    page: int | None
    record_position: int | None


@dataclass(frozen=True)
class Freshness:
    tenant: str
    source: str
    endpoint: str
    currency: str | None
    last_extracted_at: datetime | None
    status: str
    stale_reason: str | None
    failed_at: datetime | None

    @property
    def is_stale(self) -> bool:
        return self.status != "fresh"


@dataclass(frozen=True)
class Drift:
    tenant: str
    source: str
    endpoint: str
    field: str
    first_partition: str | None
    last_partition: str | None
    pages: int
    records: int


@dataclass
class Figures:
    """Everything the report shows, as the marts hold it."""

    as_of: date
    marts_as_of: date | None
    aging_from_sales: bool
    currencies: dict[str, str | None]
    missing: tuple[str, ...]
    checks: list[Check] = field(default_factory=list)
    aging: list[AgingRow] = field(default_factory=list)
    sales: list[SalesMonth] = field(default_factory=list)
    sales_statuses: list[SalesStatus] = field(default_factory=list)
    trial_balance: list[TrialBalanceRow] = field(default_factory=list)
    income_statement: list[IncomeStatementMonth] = field(default_factory=list)
    balance_sheet: list[BalanceSheetMonth] = field(default_factory=list)
    unbalanced: list[UnbalancedEntry] = field(default_factory=list)
    quarantine_counts: list[QuarantineCount] = field(default_factory=list)
    quarantine_rows: list[QuarantinedRecord] = field(default_factory=list)
    freshness: list[Freshness] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)


def sql_date(day: date) -> str:
    """A date literal both engines read; built from a `date`, never from text."""
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return f"date '{day.isoformat()}'"


def load_figures(query: Query, as_of: date | None = None) -> Figures:
    """Read every figure of the report from the marts."""
    present = existing_tables(query)
    absent = [table for table in REQUIRED_TABLES if table not in present]
    if absent:
        names = ", ".join(f"marts.{table}" for table in absent)
        raise ReportError(f"{names} not in the warehouse: run `pipeline run` first")
    marts_as_of = receivables_as_of(query)
    chosen = as_of or marts_as_of or fallback_as_of(query, present)
    from_sales = chosen != marts_as_of
    figures = Figures(
        as_of=chosen, marts_as_of=marts_as_of, aging_from_sales=from_sales,
        currencies=tenant_currencies(query, present),
        missing=tuple(table for table in REPORT_ONLY_TABLES if table not in present),
        checks=reconciliation(query),
        aging=aging_from_fct_sales(query, chosen) if from_sales else aging_from_marts(query, chosen),
        sales=sales_by_month(query), sales_statuses=sales_by_status(query),
        trial_balance=trial_balance(query), unbalanced=unbalanced_entries(query),
    )
    if "rpt_quarantined_records" in present:
        figures.quarantine_counts = quarantine_counts(query)
        figures.quarantine_rows = quarantine_sample(query)
    if "rpt_connection_freshness" in present:
        figures.freshness = freshness(query)
    if "rpt_schema_drift" in present:
        figures.drift = schema_drift(query)
    if "rpt_income_statement" in present:
        figures.income_statement = income_statement(query)
    if "rpt_balance_sheet" in present:
        figures.balance_sheet = balance_sheet(query)
    return figures


def existing_tables(query: Query) -> set[str]:
    rows = query("select table_name from information_schema.tables where table_schema = 'marts'")
    return {row[0] for row in rows}


def receivables_as_of(query: Query) -> date | None:
    """The run's as-of date, as the receivables marts were built for."""
    rows = query(
        "select max(as_of_date) from ("
        " select as_of_date from marts.fct_receivables"
        " union all select as_of_date from marts.rpt_receivables_aging) as a"
    )
    return rows[0][0] if rows else None


def fallback_as_of(query: Query, present: set[str]) -> date:
    """With no receivables: the latest snapshot or issue date the marts know, else today."""
    parts = ["select max(snapshot_date) as day from marts.rpt_reconciliation",
             "select max(issue_date) as day from marts.fct_sales"]
    if "fct_invoice_balance_snapshots" in present:
        parts.append("select max(snapshot_date) as day from marts.fct_invoice_balance_snapshots")
    rows = query("select max(day) from (" + " union all ".join(parts) + ") as d")
    return (rows[0][0] if rows else None) or date.today()


def tenant_currencies(query: Query, present: set[str]) -> dict[str, str | None]:
    """Each tenant's currency; a tenant with rows in two currencies is refused (amounts would mix)."""
    with_currency = [f"select tenant, currency from marts.{t}" for t in CURRENCY_TABLES if t in present]
    without = [f"select tenant, cast(null as varchar) from marts.{t}" for t in TENANT_TABLES if t in present]
    rows = query("select distinct tenant, currency from (" + " union all ".join(with_currency + without) + ") as t")
    currencies: dict[str, set[str]] = {}
    for tenant, currency in rows:
        currencies.setdefault(tenant, set()).update({currency} if currency else set())
    mixed = {tenant: found for tenant, found in currencies.items() if len(found) > 1}
    if mixed:
        detail = "; ".join(f"{tenant}: {', '.join(sorted(found))}" for tenant, found in sorted(mixed.items()))
        raise ReportError(f"tenants with rows in several currencies (one each is allowed): {detail}")
    return {tenant: next(iter(found), None) for tenant, found in sorted(currencies.items())}


def reconciliation(query: Query) -> list[Check]:
    rows = query(
        "select tenant, source, check_name, window_start, window_end, snapshot_date,"
        " expected, actual, difference, status"
        " from marts.rpt_reconciliation"
    )
    return [Check(*row) for row in rows]


def aging_from_marts(query: Query, as_of: date) -> list[AgingRow]:
    rows = query(
        "select tenant, customer_id, customer_name, aging_bucket, documents, balance_due"
        " from marts.rpt_receivables_aging"
        f" where as_of_date = {sql_date(as_of)}"
    )
    return [AgingRow(*row) for row in rows]


def aging_from_fct_sales(query: Query, as_of: date) -> list[AgingRow]:
    """The warehouse contract's receivables rule at another date: it ages the latest known balances."""
    day = sql_date(as_of)
    rows = query(
        "select tenant, customer_id, customer_name, aging_bucket, count(*), sum(balance_due) from ("
        " select tenant, customer_id, customer_name, balance_due,"
        f"  case when {day} - coalesce(due_date, issue_date) <= 0 then 'current'"
        f"   when {day} - coalesce(due_date, issue_date) <= 30 then '1-30'"
        f"   when {day} - coalesce(due_date, issue_date) <= 60 then '31-60'"
        f"   when {day} - coalesce(due_date, issue_date) <= 90 then '61-90'"
        "   else '91+' end as aging_bucket"
        " from marts.fct_sales"
        f" where is_receivable_kind and balance_due > 0 and issue_date <= {day}"
        ") as open_documents"
        " group by tenant, customer_id, customer_name, aging_bucket"
    )
    return [AgingRow(*row) for row in rows]


_SALES_KIND = (
    "case when coalesce(is_quotation, false) then 'quotation'"
    " when coalesce(is_void, false) then 'annulled' else 'sale' end"
)


def sales_by_month(query: Query) -> list[SalesMonth]:
    rows = query(
        "select tenant, issue_year, issue_month, kind, count(*), sum(total) from ("
        " select tenant, total,"
        "  cast(extract(year from issue_date) as integer) as issue_year,"
        "  cast(extract(month from issue_date) as integer) as issue_month,"
        f"  {_SALES_KIND} as kind"
        " from marts.fct_sales where issue_date is not null) as s"
        " group by tenant, issue_year, issue_month, kind"
    )
    return [SalesMonth(tenant, date(year, month, 1), kind, documents, total)
            for tenant, year, month, kind, documents, total in rows]


def sales_by_status(query: Query) -> list[SalesStatus]:
    rows = query(
        "select tenant, document_type, status, kind, count(*), sum(total) from ("
        f" select tenant, document_type, status, total, {_SALES_KIND} as kind from marts.fct_sales) as s"
        " group by tenant, document_type, status, kind"
    )
    return [SalesStatus(*row) for row in rows]


def trial_balance(query: Query) -> list[TrialBalanceRow]:
    rows = query(
        "select tenant, period, account_class, sum(debit), sum(credit), sum(closing_balance)"
        " from marts.fct_journal_balance"
        " group by tenant, period, account_class"
    )
    return [TrialBalanceRow(*row) for row in rows]


def income_statement(query: Query) -> list[IncomeStatementMonth]:
    rows = query(
        "select tenant, period, income, costs_and_expenses, net_income, net_income_ytd"
        " from marts.rpt_income_statement"
    )
    return [IncomeStatementMonth(*row) for row in rows]


def balance_sheet(query: Query) -> list[BalanceSheetMonth]:
    rows = query(
        "select tenant, period, assets, liabilities, equity, result_to_date, difference"
        " from marts.rpt_balance_sheet"
    )
    return [BalanceSheetMonth(*row) for row in rows]


def unbalanced_entries(query: Query) -> list[UnbalancedEntry]:
    rows = query(
        "select tenant, source, entry_id, document_number, entry_date, debit, credit, difference"
        " from marts.rpt_unbalanced_entries"
    )
    return [UnbalancedEntry(*row) for row in rows]


def quarantine_counts(query: Query) -> list[QuarantineCount]:
    rows = query(
        "select tenant, source, entity, reason, count(*) from marts.rpt_quarantined_records"
        " group by tenant, source, entity, reason"
    )
    return [QuarantineCount(*row) for row in rows]


def quarantine_sample(query: Query) -> list[QuarantinedRecord]:
    """The first rows per tenant and reason, in landing order."""
    columns = ("tenant, source, entity, record_key, field, raw_value, reason, partition_key, run_id,"
               " page, record_position")
    rows = query(
        f"select {columns} from ("
        f" select {columns}, row_number() over (partition by tenant, reason order by partition_key nulls last,"
        "  run_id nulls last, page nulls last, record_position nulls last, record_key nulls last,"
        "  field nulls last) as position_in_reason"
        " from marts.rpt_quarantined_records) as q"
        f" where position_in_reason <= {QUARANTINE_SAMPLE}"
    )
    return [QuarantinedRecord(*row) for row in rows]


def freshness(query: Query) -> list[Freshness]:
    rows = query(
        "select tenant, source, endpoint, currency, last_extracted_at, status, stale_reason, failed_at"
        " from marts.rpt_connection_freshness"
    )
    return [Freshness(*row) for row in rows]


def schema_drift(query: Query) -> list[Drift]:
    rows = query(
        "select tenant, source, endpoint, field, first_partition, last_partition, pages, records"
        " from marts.rpt_schema_drift"
    )
    return [Drift(*row) for row in rows]
