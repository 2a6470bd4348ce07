"""Renders the report data into one self-contained HTML page: styles, charts and data inline, nothing fetched."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from pipeline.finance_report.charts import (
    aging_chart,
    aging_series,
    income_chart,
    income_series,
    sales_chart,
    sales_series,
)
from pipeline.finance_report.figures import SALES_KINDS
from pipeline.finance_report.guidance import quarantine_advice, rerun_command
from pipeline.finance_report.template import PAGE, STYLE

CENT = Decimal("0.01")


def render_page(data: dict) -> str:
    """The whole page for the report data (see `data.report_data`)."""
    charts = [tenant_charts(tenant) for tenant in data["tenants"]]
    return _environment().from_string(PAGE).render(
        data=data, charts=charts, style=Markup(STYLE), data_json=Markup(json_block(data)),
    )


def tenant_charts(tenant: dict) -> dict:
    name, currency = tenant["tenant"], tenant["currency"]
    aging, months, income = tenant["aging"], tenant["sales"]["months"], tenant["statements"]["income"]
    drawn = income_series(income)
    return {
        "aging": Markup(aging_chart(aging, currency, f"{name}: receivables aging")) if aging["chart"] else "",
        "aging_series": aging_series(aging) if aging["chart"] else [],
        "sales": Markup(sales_chart(months, currency, f"{name}: sales by month")) if months else "",
        "sales_series": sales_series(months),
        "income": Markup(income_chart(income, currency, f"{name}: income statement by month")) if drawn else "",
        "income_series": drawn,
    }


def json_block(data: dict) -> str:
    """The data as JSON safe inside a <script> element (no `<`, `>` or `&` left to end it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _environment() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(amount=amount, count=count, figure=figure, when=when, month=month, window=window,
                       rerun=command, advice=quarantine_advice, pivot=pivot_sales)
    env.tests["zero"] = is_zero
    return env


def is_zero(value: str | None) -> bool:
    return value is not None and Decimal(value) == 0


def amount(value: str | None) -> str:
    """Cents when the amount has none beyond them, else every significant decimal: never rounded away."""
    if value is None:
        return "\u2014"
    number = Decimal(value)
    if number == 0:
        number = abs(number)  # never "-0.00"
    if number == number.quantize(CENT):
        return f"{number.quantize(CENT):,.2f}"
    return f"{number.normalize():,f}"


def count(value: int) -> str:
    return f"{value:,}"


def figure(value: str | None, unit: str) -> str:
    """A reconciliation figure: counts without decimals when whole, amounts as `amount`."""
    if value is not None and unit == "count" and Decimal(value) == Decimal(value).to_integral_value():
        return f"{int(Decimal(value)):,}"
    return amount(value)


def when(value: str | None) -> str:
    return "\u2014" if value is None else datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")


def month(value: str) -> str:
    return date.fromisoformat(value[:7] + "-01").strftime("%b %Y")


def window(check: dict) -> Markup:
    """A check's window (or snapshot), each date kept on one line."""
    def one(day: str | None) -> Markup:
        return Markup('<span class="date">{}</span>').format(day or "\u2026")

    if check["window_start"] or check["window_end"]:
        return one(check["window_start"]) + Markup(" to ") + one(check["window_end"])
    if check["snapshot_date"]:
        return Markup("snapshot ") + one(check["snapshot_date"])
    return Markup("\u2014")


def command(check: dict) -> Markup:
    """The rerun command, broken between options only (a date never splits at its hyphens)."""
    words = rerun_command(check).split(" --")
    parts = [words[0], *(f"--{word}" for word in words[1:])]
    return Markup(" ").join(Markup("<span>{}</span>").format(part) for part in parts)


def pivot_sales(months: list[dict]) -> list[tuple[str, list[int | None]]]:
    """Per month, the index in `months` of each kind's row (sales, quotations, annulled), None where absent."""
    rows: dict[str, list[int | None]] = {}
    for index, row in enumerate(months):
        rows.setdefault(row["month"], [None] * len(SALES_KINDS))[SALES_KINDS.index(row["kind"])] = index
    return sorted(rows.items())
