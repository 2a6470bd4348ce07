"""Per tenant, what the report shows: the marts' rows grouped, ordered and summed in Decimal, one currency each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pipeline.finance_report.figures import (
    BUCKETS,
    SALES_KINDS,
    AgingRow,
    BalanceSheetMonth,
    Check,
    Drift,
    Figures,
    Freshness,
    IncomeStatementMonth,
    QuarantineCount,
    QuarantinedRecord,
    SalesMonth,
    SalesStatus,
    TrialBalanceRow,
    UnbalancedEntry,
)

TOP_OVERDUE = 10       # customers listed with the largest overdue balances
CHART_CUSTOMERS = 8    # at most this many customers drawn one bar each in the aging chart
# A customer is drawn only with at least this share of the largest one's balance, so that every bar reads on
# the chart's scale; the others are given as one figure beside the chart, never as a bar.
CHART_MIN_SHARE = Decimal("0.05")
ZERO = Decimal(0)


@dataclass(frozen=True)
class MatchSummary:
    source: str
    check_name: str
    checks: int
    latest: Check


@dataclass(frozen=True)
class BucketTotal:
    bucket: str
    documents: int
    balance_due: Decimal


@dataclass(frozen=True)
class CustomerBalance:
    customer_id: str | None
    customer_name: str | None
    documents: int
    balances: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.balances.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((amount for bucket, amount in self.balances.items() if bucket != "current"), ZERO)


@dataclass(frozen=True)
class OtherCustomers:
    customers: int
    documents: int
    balance_due: Decimal


@dataclass(frozen=True)
class OverdueCustomer:
    customer_id: str | None
    customer_name: str | None
    documents: int
    overdue: Decimal
    oldest_bucket: str


@dataclass(frozen=True)
class PeriodCheck:
    period: date
    debit: Decimal
    credit: Decimal

    @property
    def difference(self) -> Decimal:
        return self.debit - self.credit

    @property
    def balanced(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    records: int
    places: list[QuarantineCount]
    first_rows: list[QuarantinedRecord]


@dataclass
class TenantReport:
    tenant: str
    currency: str | None
    connections: list[Freshness] = field(default_factory=list)
    mismatches: list[Check] = field(default_factory=list)
    matches: list[Check] = field(default_factory=list)
    match_summary: list[MatchSummary] = field(default_factory=list)
    buckets: list[BucketTotal] = field(default_factory=list)
    customers: list[CustomerBalance] = field(default_factory=list)
    top_overdue: list[OverdueCustomer] = field(default_factory=list)
    sales: list[SalesMonth] = field(default_factory=list)
    sales_statuses: list[SalesStatus] = field(default_factory=list)
    periods: list[PeriodCheck] = field(default_factory=list)
    trial_balance: list[TrialBalanceRow] = field(default_factory=list)
    income_statement: list[IncomeStatementMonth] = field(default_factory=list)
    balance_sheet: BalanceSheetMonth | None = None  # the last month's
    unbalanced: list[UnbalancedEntry] = field(default_factory=list)
    quarantine: list[ReasonCount] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)

    @property
    def stale(self) -> list[Freshness]:
        return [connection for connection in self.connections if connection.is_stale]

    @property
    def sources(self) -> list[str]:
        found = {c.source for c in self.connections} | {c.source for c in self.mismatches + self.matches}
        return sorted(found)

    @property
    def quarantined_records(self) -> int:
        return sum(reason.records for reason in self.quarantine)

    @property
    def overdue(self) -> Decimal:
        return sum((b.balance_due for b in self.buckets if b.bucket != "current"), ZERO)

    @property
    def receivables(self) -> Decimal:
        return sum((b.balance_due for b in self.buckets), ZERO)


def nulls_last(*values: object) -> tuple:
    """A sort key for rows with NULLs: every NULL after every value, column by column."""
    return tuple((value is None, value if value is not None else 0) for value in values)


def build_tenants(figures: Figures) -> list[TenantReport]:
    """One report per tenant the marts know, in name order."""
    return [build_tenant(figures, tenant, currency) for tenant, currency in figures.currencies.items()]


def build_tenant(figures: Figures, tenant: str, currency: str | None) -> TenantReport:
    def mine(rows: list) -> list:
        return [row for row in rows if row.tenant == tenant]

    checks = sorted(mine(figures.checks), key=lambda c: nulls_last(c.source, c.check_name, c.window_start,
                                                                    c.snapshot_date))
    customers = customer_balances(mine(figures.aging))
    return TenantReport(
        tenant=tenant, currency=currency,
        connections=sorted(mine(figures.freshness), key=lambda c: (not c.is_stale, c.source, c.endpoint)),
        mismatches=[c for c in checks if not c.is_match],
        matches=[c for c in checks if c.is_match],
        match_summary=match_summary([c for c in checks if c.is_match]),
        buckets=bucket_totals(mine(figures.aging)),
        customers=customers,
        top_overdue=top_overdue(customers),
        sales=sorted(mine(figures.sales), key=lambda s: (s.month, SALES_KINDS.index(s.kind))),
        sales_statuses=sorted(mine(figures.sales_statuses),
                              key=lambda s: nulls_last(SALES_KINDS.index(s.kind), s.document_type, s.status)),
        periods=period_checks(mine(figures.trial_balance)),
        trial_balance=sorted(mine(figures.trial_balance), key=lambda r: nulls_last(r.period, r.account_class)),
        income_statement=sorted(mine(figures.income_statement), key=lambda r: r.period),
        balance_sheet=max(mine(figures.balance_sheet), key=lambda r: r.period, default=None),
        unbalanced=sorted(mine(figures.unbalanced),
                          key=lambda u: nulls_last(-abs(u.difference or ZERO), u.entry_date, u.entry_id)),
        quarantine=reason_counts(mine(figures.quarantine_counts), mine(figures.quarantine_rows)),
        drift=sorted(mine(figures.drift), key=lambda d: (d.source, d.endpoint, d.field)),
    )


def match_summary(matches: list[Check]) -> list[MatchSummary]:
    """Matching checks per source and check: how many, and the latest window."""
    grouped: dict[tuple[str, str], list[Check]] = defaultdict(list)
    for check in matches:
        grouped[(check.source, check.check_name)].append(check)
    return [
        MatchSummary(source, name, len(rows), max(rows, key=lambda c: nulls_last(c.latest, c.window_start)))
        for (source, name), rows in sorted(grouped.items())
    ]


def bucket_totals(rows: list[AgingRow]) -> list[BucketTotal]:
    """Every bucket in order, empty ones at zero."""
    documents = {bucket: sum(r.documents for r in rows if r.aging_bucket == bucket) for bucket in BUCKETS}
    balances = {bucket: sum((r.balance_due for r in rows if r.aging_bucket == bucket), ZERO) for bucket in BUCKETS}
    return [BucketTotal(bucket, documents[bucket], balances[bucket]) for bucket in BUCKETS]


def customer_balances(rows: list[AgingRow]) -> list[CustomerBalance]:
    """Per customer (id and name, as the aging mart groups), the balance in each bucket; largest first."""
    grouped: dict[tuple[str | None, str | None], list[AgingRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.customer_id, row.customer_name)].append(row)
    customers = [
        CustomerBalance(customer_id, name, sum(r.documents for r in group),
                        {b: sum((r.balance_due for r in group if r.aging_bucket == b), ZERO) for b in BUCKETS})
        for (customer_id, name), group in grouped.items()
    ]
    return sorted(customers, key=lambda c: (-c.total, *nulls_last(c.customer_name, c.customer_id)))


def top_overdue(customers: list[CustomerBalance]) -> list[OverdueCustomer]:
    overdue = [c for c in customers if c.overdue > 0]
    overdue.sort(key=lambda c: (-c.overdue, *nulls_last(c.customer_name, c.customer_id)))
    return [
        OverdueCustomer(c.customer_id, c.customer_name, c.documents, c.overdue,
                        next(b for b in reversed(BUCKETS) if c.balances[b] != 0))
        for c in overdue[:TOP_OVERDUE]
    ]


def chart_customers(customers: list[CustomerBalance]) -> list[CustomerBalance]:
    """The customers drawn: the largest ones (largest first), each with a readable share of the largest."""
    if not customers:
        return []
    floor = customers[0].total * CHART_MIN_SHARE
    return [c for c in customers[:CHART_CUSTOMERS] if c.total >= floor]


def other_customers(customers: list[CustomerBalance]) -> OtherCustomers | None:
    """The customers the chart leaves out, as one figure (same tenant, same currency)."""
    rest = customers[len(chart_customers(customers)):]
    if not rest:
        return None
    return OtherCustomers(len(rest), sum(c.documents for c in rest), sum((c.total for c in rest), ZERO))


def period_checks(rows: list[TrialBalanceRow]) -> list[PeriodCheck]:
    """Per month, every account's debits against every account's credits."""
    periods = sorted({row.period for row in rows})
    return [
        PeriodCheck(period,
                    sum((r.debit for r in rows if r.period == period), ZERO),
                    sum((r.credit for r in rows if r.period == period), ZERO))
        for period in periods
    ]


def reason_counts(counts: list[QuarantineCount], sample: list[QuarantinedRecord]) -> list[ReasonCount]:
    """Quarantined records per reason, most frequent first, with where they come from and the first rows."""
    reasons = sorted({c.reason for c in counts})
    grouped = [
        ReasonCount(
            reason,
            sum(c.records for c in counts if c.reason == reason),
            sorted((c for c in counts if c.reason == reason), key=lambda c: (-c.records, c.source, c.entity)),
            sorted((r for r in sample if r.reason == reason),
                   key=lambda r: nulls_last(r.partition_key, r.run_id, r.page, r.record_position, r.record_key,
                                            r.field)),
        )
        for reason in reasons
    ]
    return sorted(grouped, key=lambda g: (-g.records, g.reason))
