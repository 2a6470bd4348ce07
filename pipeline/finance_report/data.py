"""The report's figures as plain JSON data: what the page shows, embedded in it so anyone can read it back.

Amounts are exact decimal strings (never floats), dates ISO strings, missing values null. The page's tables
are rendered from this same data, and each figure cell names its place in it (`data-figure`, a JSON pointer).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pipeline.finance_report.figures import (
    BalanceSheetMonth,
    Check,
    Drift,
    Figures,
    Freshness,
    IncomeStatementMonth,
    QuarantinedRecord,
    SalesMonth,
    SalesStatus,
    TrialBalanceRow,
    UnbalancedEntry,
)
from pipeline.finance_report.tenants import (
    BucketTotal,
    CustomerBalance,
    MatchSummary,
    OtherCustomers,
    OverdueCustomer,
    PeriodCheck,
    ReasonCount,
    TenantReport,
    chart_customers,
    other_customers,
)

# Reconciliation checks whose figures are counts of documents or records, not amounts of money.
COUNT_CHECKS = (".docs", ".count", ".cantidad_ventas", ".total_records")


def exact(value: Decimal | int | None) -> str | None:
    """A Decimal as its exact digits (`format(..., 'f')`: never an exponent, never a float)."""
    return None if value is None else format(Decimal(value), "f")


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def check_unit(check_name: str, currency: str | None) -> str:
    return "count" if check_name.endswith(COUNT_CHECKS) else (currency or "amount")


def report_data(figures: Figures, tenants: list[TenantReport], *, title: str, generated_at: datetime) -> dict:
    stale = [connection for tenant in tenants for connection in tenant.stale]
    return {
        "title": title,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "as_of": iso(figures.as_of),
        "marts_as_of": iso(figures.marts_as_of),
        "aging_basis": "latest_known_balances" if figures.aging_from_sales else "marts",
        "missing_tables": [f"marts.{table}" for table in figures.missing],
        "summary": {
            "tenants": len(tenants),
            "reconciliation_matches": sum(len(t.matches) for t in tenants),
            "reconciliation_mismatches": sum(len(t.mismatches) for t in tenants),
            "stale_connections": len(stale),
            "quarantined_records": sum(t.quarantined_records for t in tenants),
            "unbalanced_entries": sum(len(t.unbalanced) for t in tenants),
        },
        "stale_connections": [connection_data(c) for c in stale],
        "tenants": [tenant_data(t) for t in tenants],
    }


def tenant_data(t: TenantReport) -> dict:
    return {
        "tenant": t.tenant,
        "currency": t.currency,
        "sources": t.sources,
        "connections": [connection_data(c) for c in t.connections],
        "reconciliation": {
            "mismatches": [check_data(c, t.currency) for c in t.mismatches],
            "matches_by_check": [match_summary_data(m, t.currency) for m in t.match_summary],
            "matches": [check_data(c, t.currency) for c in t.matches],
        },
        "aging": {
            "receivables": exact(t.receivables),
            "overdue": exact(t.overdue),
            "buckets": [bucket_data(b) for b in t.buckets],
            "chart": [customer_data(c) for c in chart_customers(t.customers)],
            "others": others_data(other_customers(t.customers)),
            "top_overdue": [overdue_data(c) for c in t.top_overdue],
        },
        "sales": {
            "months": [sales_month_data(s) for s in t.sales],
            "statuses": [sales_status_data(s) for s in t.sales_statuses],
        },
        "trial_balance": {
            "periods": [period_data(p) for p in t.periods],
            "classes": [trial_balance_data(r) for r in t.trial_balance],
        },
        "statements": {
            "income": [income_data(r) for r in t.income_statement],
            "balance_sheet": balance_sheet_data(t.balance_sheet),
        },
        "unbalanced_entries": [unbalanced_data(u) for u in t.unbalanced],
        "quarantine": {
            "records": t.quarantined_records,
            "reasons": [reason_data(r) for r in t.quarantine],
        },
        "schema_drift": [drift_data(d) for d in t.drift],
    }


def connection_data(c: Freshness) -> dict:
    return {"tenant": c.tenant, "source": c.source, "endpoint": c.endpoint, "currency": c.currency,
            "status": c.status, "last_extracted_at": iso(c.last_extracted_at), "stale_reason": c.stale_reason,
            "failed_at": iso(c.failed_at)}


def check_data(c: Check, currency: str | None) -> dict:
    return {"source": c.source, "check_name": c.check_name, "unit": check_unit(c.check_name, currency),
            "window_start": iso(c.window_start), "window_end": iso(c.window_end),
            "snapshot_date": iso(c.snapshot_date), "expected": exact(c.expected), "actual": exact(c.actual),
            "difference": exact(c.difference), "status": c.status}


def match_summary_data(m: MatchSummary, currency: str | None) -> dict:
    return {"source": m.source, "check_name": m.check_name, "unit": check_unit(m.check_name, currency),
            "checks": m.checks, "latest": check_data(m.latest, currency)}


def bucket_data(b: BucketTotal) -> dict:
    return {"bucket": b.bucket, "documents": b.documents, "balance_due": exact(b.balance_due)}


def customer_data(c: CustomerBalance) -> dict:
    return {"customer_id": c.customer_id, "customer_name": c.customer_name, "documents": c.documents,
            "balances": {bucket: exact(amount) for bucket, amount in c.balances.items()}}


def others_data(o: OtherCustomers | None) -> dict | None:
    if o is None:
        return None
    return {"customers": o.customers, "documents": o.documents, "balance_due": exact(o.balance_due)}


def overdue_data(c: OverdueCustomer) -> dict:
    return {"customer_id": c.customer_id, "customer_name": c.customer_name, "documents": c.documents,
            "overdue": exact(c.overdue), "oldest_bucket": c.oldest_bucket}


def sales_month_data(s: SalesMonth) -> dict:
    return {"month": s.month.isoformat()[:7], "kind": s.kind, "documents": s.documents, "total": exact(s.total)}


def sales_status_data(s: SalesStatus) -> dict:
    return {"document_type": s.document_type, "status": s.status, "kind": s.kind, "documents": s.documents,
            "total": exact(s.total)}


def period_data(p: PeriodCheck) -> dict:
    return {"period": iso(p.period), "debit": exact(p.debit), "credit": exact(p.credit),
            "difference": exact(p.difference), "status": "balanced" if p.balanced else "unbalanced"}


def trial_balance_data(r: TrialBalanceRow) -> dict:
    return {"period": iso(r.period), "account_class": r.account_class, "debit": exact(r.debit),
            "credit": exact(r.credit), "closing_balance": exact(r.closing_balance)}


def income_data(r: IncomeStatementMonth) -> dict:
    return {"period": iso(r.period), "income": exact(r.income), "costs_and_expenses": exact(r.costs_and_expenses),
            "net_income": exact(r.net_income), "net_income_ytd": exact(r.net_income_ytd)}


def balance_sheet_data(r: BalanceSheetMonth | None) -> dict | None:
    if r is None:
        return None
    return {"period": iso(r.period), "assets": exact(r.assets), "liabilities": exact(r.liabilities),
            "equity": exact(r.equity), "result_to_date": exact(r.result_to_date), "difference": exact(r.difference)}


def unbalanced_data(u: UnbalancedEntry) -> dict:
    return {"source": u.source, "entry_id": u.entry_id, "document_number": u.document_number,
            "entry_date": iso(u.entry_date), "debit": exact(u.debit), "credit": exact(u.credit),
            "difference": exact(u.difference)}


def reason_data(r: ReasonCount) -> dict:
    return {"reason": r.reason, "records": r.records,
            "places": [{"source": c.source, "entity": c.entity, "records": c.records} for c in r.places],
            "first_rows": [quarantined_data(q) for q in r.first_rows]}


def quarantined_data(q: QuarantinedRecord) -> dict:
    return {"source": q.source, "entity": q.entity, "record_key": q.record_key, "field": q.field,
            "raw_value": q.raw_value, "reason": q.reason, "partition_key": q.partition_key, "run_id": q.run_id,
            "page": q.page, "record_position": q.record_position}


def drift_data(d: Drift) -> dict:
    return {"source": d.source, "endpoint": d.endpoint, "field": d.field, "first_partition": d.first_partition,
            "last_partition": d.last_partition, "pages": d.pages, "records": d.records}
