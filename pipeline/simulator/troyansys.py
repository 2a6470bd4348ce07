"""Troyansys ERP reports: /reports/{dashboard,sales,inventory,purchases,accounting} (Bearer + X-Company-Id)
and the same under /company/reports (X-API-Key).

[assumed] choices: `per_page` defaults to 15 and is silently capped at 100; `meta` only on sales; error
body `{"message", "errors"}`; a user token whose X-Company-Id names another company gets 403. Lists are
ordered by the document date, then id (inventory by row id).
"""

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import changes
from .encoding import dumps, plain, to_decimal
from .responses import body_page, count_request, parse_date, parse_int, raw
from .tenants import Tenant, tenants_of

BASE = "/troyansys/api/v1"
REPORTS = ("dashboard", "sales", "inventory", "purchases", "accounting")
MAX_PER_PAGE, DEFAULT_PER_PAGE = 100, 15
ZERO = Decimal(0)
ENUMS = {
    "sales": {"type": ("invoice", "sales_order", "quotation"), "status": ("draft", "issued", "cancelled")},
    "purchases": {"type": ("purchase_order", "supplier_invoice"), "status": ("draft", "issued", "cancelled")},
    "accounting": {"status": ("draft", "posted")},
    "inventory": {},
}
INT_FILTERS = {"sales": ("customer_id",), "purchases": ("supplier_id",), "accounting": (),
               "inventory": ("warehouse_id", "product_id", "category_id")}
DATE_FIELD = {"sales": "issue_date", "purchases": "issue_date", "accounting": "entry_date"}


def _error(status: int, message: str, errors: dict | None = None) -> Response:
    body: dict = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return raw(dumps(body), status)


def authenticate(request: Request, company_mode: bool) -> Tenant | Response:
    tenants = tenants_of("troyansys")
    if company_mode:
        key = request.headers.get("x-api-key")
        tenant = next((t for t in tenants if key and t.credentials.get("api_key") == key), None)
        return tenant or _error(401, "No autenticado: API key inválida.")
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    tenant = next((t for t in tenants if token and t.credentials.get("token") == token), None)
    company = parse_int(request.headers.get("x-company-id", ""))
    if tenant is None or company is None:
        return _error(401, "No autenticado: token o empresa inválidos.")
    if company != tenant.company_id:
        return _error(403, "El usuario no tiene acceso a esta empresa.")
    return tenant


class SalesSummary:
    def __init__(self) -> None:
        self.docs = 0
        self.sums = dict.fromkeys(("subtotal", "tax", "total"), ZERO)
        self.pay = dict.fromkeys(("payable_total", "paid_total", "pending_total"), ZERO)
        self.counts = dict.fromkeys(("payable_docs", "paid_docs", "partial_docs", "pending_docs"), 0)

    def add(self, rec: dict) -> None:
        self.docs += 1
        for k in self.sums:
            self.sums[k] += to_decimal(rec.get(k)) or ZERO
        if rec.get("type") == "invoice" and rec.get("status") == "issued":
            self.counts["payable_docs"] += 1
            self.pay["payable_total"] += to_decimal(rec.get("total")) or ZERO
            self.pay["paid_total"] += to_decimal(rec.get("paid_amount")) or ZERO
            self.pay["pending_total"] += to_decimal(rec.get("pending_balance")) or ZERO
            status = rec.get("payment_status")
            if status in ("paid", "partial", "pending"):
                self.counts[f"{status}_docs"] += 1

    def result(self) -> dict:
        return {
            "docs": self.docs, **{k: plain(v) for k, v in self.sums.items()},
            "payment": {
                "payable_docs": self.counts["payable_docs"], "payable_total": plain(self.pay["payable_total"]),
                "paid_total": plain(self.pay["paid_total"]), "pending_total": plain(self.pay["pending_total"]),
                "paid_docs": self.counts["paid_docs"], "partial_docs": self.counts["partial_docs"],
                "pending_docs": self.counts["pending_docs"],
                "applied_advances": 0, "excess_as_advance": 0, "excess_as_tip": 0,
            },
        }


class PurchasesSummary:
    def __init__(self) -> None:
        self.docs = 0
        self.sums = dict.fromkeys(("subtotal", "tax", "total"), ZERO)

    def add(self, rec: dict) -> None:
        self.docs += 1
        for k in self.sums:
            self.sums[k] += to_decimal(rec.get(k)) or ZERO

    def result(self) -> dict:
        return {"docs": self.docs, **{k: plain(v) for k, v in self.sums.items()}}


class AccountingSummary:
    def __init__(self) -> None:
        self.entries, self.debit, self.credit = 0, ZERO, ZERO

    def add(self, rec: dict) -> None:
        self.entries += 1
        self.debit += to_decimal(rec.get("debit_total")) or ZERO
        self.credit += to_decimal(rec.get("credit_total")) or ZERO

    def result(self) -> dict:
        return {"entries": self.entries, "debit_total": plain(self.debit), "credit_total": plain(self.credit)}


class InventorySummary:
    def __init__(self) -> None:
        self.qty, self.value, self.low, self.zero = ZERO, ZERO, 0, 0

    def add(self, rec: dict) -> None:
        qty = to_decimal(rec.get("quantity")) or ZERO
        self.qty += qty
        self.value += to_decimal(rec.get("total_value")) or ZERO
        self.low += rec.get("stock_alert_code") == "low"
        self.zero += qty == 0

    def result(self) -> dict:
        return {"total_qty": plain(self.qty), "total_value": plain(self.value), "low_stock_items": self.low,
                "zero_stock_items": self.zero}


SUMMARIES: dict[str, Callable] = {"sales": SalesSummary, "purchases": PurchasesSummary,
                                  "accounting": AccountingSummary, "inventory": InventorySummary}


def _filters(report: str, params: dict) -> tuple[dict, dict]:
    """Validated filters and the 422 errors."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for name in ("page", "per_page"):
        if name in params:
            value = parse_int(params[name])
            if value is None or value < 1:
                errors[name] = [f"El campo {name} debe ser un entero mayor o igual a 1."]
            out[name] = value
    for name, allowed in ENUMS[report].items():
        if name in params:
            if params[name] not in allowed:
                errors[name] = [f"El valor seleccionado para {name} no es válido ({', '.join(allowed)})."]
            out[name] = params[name]
    for name in INT_FILTERS[report]:
        if name in params:
            value = parse_int(params[name])
            if value is None:
                errors[name] = [f"El campo {name} debe ser un entero."]
            out[name] = value
    if report in DATE_FIELD:
        for name in ("date_from", "date_to"):
            if name in params:
                value = parse_date(params[name])
                if value is None:
                    errors[name] = [f"El campo {name} no es una fecha válida (YYYY-MM-DD)."]
                out[name] = value
        if not errors and out.get("date_from") and out.get("date_to") and out["date_from"] > out["date_to"]:
            errors["date_to"] = ["El campo date_to debe ser una fecha posterior o igual a date_from."]
    if report == "inventory" and "search" in params:
        out["search"] = params["search"].strip().lower()
    return out, errors


def _match(report: str, filters: dict) -> tuple[tuple, Callable[[dict], bool] | None]:
    checks = []
    for name in ("type", "status", *INT_FILTERS[report]):
        if filters.get(name) is not None:
            checks.append((name, filters[name]))
    search = filters.get("search")
    key = (tuple(checks), search)
    if not checks and not search:
        return key, None

    def match(rec: dict) -> bool:
        if any(rec.get(name) != value for name, value in checks):
            return False
        return not search or search in rec["product_name"].lower() or search in rec["sku"].lower()

    return key, match


def make_report(world) -> Callable:
    async def report(request: Request) -> Response:
        name = request.path_params["report"]
        company_mode = request.url.path.startswith(f"{BASE}/company/")
        tenant = authenticate(request, company_mode)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "troyansys", tenant.name)
        if name not in REPORTS:
            return _error(404, "Recurso no encontrado.")
        if name in tenant.modules_denied:
            return _error(403, "Módulo no contratado para esta empresa.", {"module": [name]})
        if name == "dashboard":
            return raw(dashboard(world, tenant.name))
        filters, errors = _filters(name, dict(request.query_params))
        if errors:
            return _error(422, "Los datos proporcionados no son válidos.", errors)
        page = filters.get("page") or 1
        per_page = min(filters.get("per_page") or DEFAULT_PER_PAGE, MAX_PER_PAGE)
        key, match = _match(name, filters)
        date_field = DATE_FIELD.get(name)
        start, end = filters.get("date_from"), filters.get("date_to")
        selection = world.select("troyansys", tenant.name, name, start=start, end=end, key=key, match=match,
                                 sort=(lambda r: str(r.get(date_field))) if date_field else None,
                                 summarize=SUMMARIES[name])
        page_key = (selection.key, page, per_page)
        body = world.pages.get(page_key)
        if body is None:
            records = world.encoded(selection, (page - 1) * per_page, per_page)
            head = b"{"
            if name == "sales":
                meta = {"current_page": page, "last_page": max(1, math.ceil(selection.total / per_page)),
                        "per_page": per_page, "total": selection.total}
                head += b'"meta":' + dumps(meta) + b","
            head += b'"summary":' + dumps(selection.summary) + b',"data":'
            body = body_page(head, records, b"}")
            world.pages.put(page_key, body)
        if name != "inventory":
            changes.after_page(world, "troyansys", tenant.name, name, start, end, request.url.path)
        return raw(body)

    return report


def dashboard(world, tenant: str) -> bytes:
    today: date = world.today
    month_start = today.replace(day=1)
    sales = world.select("troyansys", tenant, "sales", summarize=_MonthlyTotals(world, "sales"))
    purchases = world.select("troyansys", tenant, "purchases", summarize=_MonthlyTotals(world, "purchases"))
    drafts = world.select("troyansys", tenant, "accounting", key=(("status", "draft"), None),
                          match=lambda r: r.get("status") == "draft")
    inventory = world.select("troyansys", tenant, "inventory", summarize=InventorySummary)
    rows = world.records(inventory, 0, inventory.total)
    months = []
    cursor = month_start
    for _ in range(6):
        months.insert(0, cursor)
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    by_sku: dict[str, Decimal] = {}
    for r in rows:
        by_sku[r["sku"]] = by_sku.get(r["sku"], ZERO) + (to_decimal(r.get("total_value")) or ZERO)
    top = sorted(by_sku.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    body = {
        "kpis": {
            "sales_month": plain(sales.summary["months"].get(month_start, ZERO)),
            "collections_month": plain(sales.summary["paid"].get(month_start, ZERO)),
            "purchases_month": plain(purchases.summary["months"].get(month_start, ZERO)),
            "active_products": len({r["product_id"] for r in rows if (to_decimal(r.get("quantity")) or 0) > 0}),
            "stock_value": inventory.summary["total_value"],
            "draft_entries": drafts.total,
            "available_advances": 0,
            "pending_receivables": plain(sales.summary["pending"]),
        },
        "charts": {
            "labels": [m.strftime("%b %Y") for m in months],
            "sales": [plain(sales.summary["months"].get(m, ZERO)) for m in months],
            "purchases": [plain(purchases.summary["months"].get(m, ZERO)) for m in months],
            "top_products": {"labels": [sku for sku, _ in top], "values": [plain(v) for _, v in top]},
        },
    }
    return dumps(body)


class _MonthlyTotals:
    """Issued invoices (sales) or issued supplier invoices (purchases) per month; paid and pending."""

    def __init__(self, world, report: str):
        self.report = report

    def __call__(self) -> "_MonthlyTotals":
        self.months: dict[date, Decimal] = {}
        self.paid: dict[date, Decimal] = {}
        self.pending = ZERO
        return self

    def add(self, rec: dict) -> None:
        wanted = "invoice" if self.report == "sales" else "supplier_invoice"
        if rec.get("type") != wanted or rec.get("status") != "issued":
            return
        day = parse_date(str(rec.get("issue_date")))
        if day is None:
            return
        month = day.replace(day=1)
        self.months[month] = self.months.get(month, ZERO) + (to_decimal(rec.get("total")) or ZERO)
        if self.report == "sales":
            self.paid[month] = self.paid.get(month, ZERO) + (to_decimal(rec.get("paid_amount")) or ZERO)
            self.pending += to_decimal(rec.get("pending_balance")) or ZERO

    def result(self) -> dict:
        return {"months": self.months, "paid": self.paid, "pending": self.pending}


def routes(world) -> list[Route]:
    handler = make_report(world)
    return [Route(f"{BASE}/reports/{{report}}", handler, methods=["GET"]),
            Route(f"{BASE}/company/reports/{{report}}", handler, methods=["GET"])]
