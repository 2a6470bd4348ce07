"""The report's charts: pygal SVG, inlined in the page, with no script and nothing fetched.

pygal draws server-side; its tooltip script (a URL by default) is switched off and its small inline config
script removed, so a chart is plain SVG that prints as it shows. Charts draw from the page's own JSON data
(the exact decimal strings; floats only for pixel geometry), one series per bucket or kind that holds a value.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pygal
from pygal.etree import etree
from pygal.style import Style

from pipeline.finance_report.figures import BUCKETS, SALES_KINDS

# Light to dark from current to 91+: the order still reads in black-and-white print.
BUCKET_COLOURS = ("#9ecae1", "#fdd49e", "#fc8d59", "#d7301f", "#67000d")
KIND_COLOURS = {"sale": "#08519c", "quotation": "#9ecae1", "annulled": "#969696"}
KIND_LABELS = {"sale": "Sales", "quotation": "Quotations", "annulled": "Annulled"}
INCOME_SERIES = ("income", "costs_and_expenses", "net_income")
INCOME_COLOURS = {"income": "#08519c", "costs_and_expenses": "#fdae6b", "net_income": "#252525"}
INCOME_LABELS = {"income": "Income", "costs_and_expenses": "Costs and expenses", "net_income": "Net income"}
FONT = '"Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


def aging_series(aging: dict) -> list[str]:
    """The buckets drawn: those holding a balance in the chart's customers."""
    return [b for b in BUCKETS if any(Decimal(c["balances"][b]) != 0 for c in aging["chart"])]


def sales_series(months: list[dict]) -> list[str]:
    return [kind for kind in SALES_KINDS if any(m["kind"] == kind for m in months)]


def income_series(months: list[dict]) -> list[str]:
    """The income statement's figures drawn: those not zero in every month."""
    return [name for name in INCOME_SERIES if any(Decimal(m[name]) != 0 for m in months)]


def aging_chart(aging: dict, currency: str | None, caption: str) -> str:
    """A horizontal stacked bar per customer (the largest ones), one colour per aging bucket."""
    series = aging_series(aging)
    colours = tuple(BUCKET_COLOURS[BUCKETS.index(b)] for b in series)
    rows = list(reversed(aging["chart"]))  # pygal draws bottom-up: largest customer on top
    chart = pygal.HorizontalStackedBar(**_config(colours, height=90 + 34 * len(rows)))
    chart.x_labels = [c["customer_name"] or c["customer_id"] or "(no name)" for c in rows]
    chart.x_title = f"Balance due ({currency or 'amount'})"  # the value axis, at the bottom when horizontal
    for bucket in series:
        chart.add(bucket if bucket == "current" else f"{bucket} days", [_geometry(c["balances"][bucket]) for c in rows])
    return _svg(chart, caption)


def sales_chart(months: list[dict], currency: str | None, caption: str) -> str:
    """Totals by month: sales, quotations and annulled documents side by side, never stacked together."""
    series = sales_series(months)
    labels = sorted({m["month"] for m in months})
    chart = pygal.Bar(**_config(tuple(KIND_COLOURS[k] for k in series), height=340))
    chart.x_labels = [date.fromisoformat(f"{label}-01").strftime("%b %Y") for label in labels]
    chart.y_title = f"Total ({currency or 'amount'})"
    totals = {(m["month"], m["kind"]): m["total"] for m in months}
    for kind in series:
        chart.add(KIND_LABELS[kind], [_geometry(totals.get((month, kind))) for month in labels])
    return _svg(chart, caption)


def income_chart(months: list[dict], currency: str | None, caption: str) -> str:
    """Per month: income, costs and expenses, and net income side by side (net income below zero for a loss)."""
    series = income_series(months)
    chart = pygal.Bar(**_config(tuple(INCOME_COLOURS[name] for name in series), height=340))
    chart.x_labels = [date.fromisoformat(m["period"]).strftime("%b %Y") for m in months]
    chart.y_title = f"Amount ({currency or 'amount'})"
    for name in series:
        chart.add(INCOME_LABELS[name], [_geometry(m[name]) for m in months])
    return _svg(chart, caption)


def _config(colours: tuple[str, ...], height: int) -> dict:
    style = Style(
        background="#ffffff", plot_background="#ffffff", foreground="#222222", foreground_strong="#000000",
        foreground_subtle="#d0d0d0", font_family=FONT, colors=colours, opacity="1", opacity_hover="1",
        transition="0s", label_font_size=12, major_label_font_size=12, legend_font_size=13, title_font_size=14,
        value_font_size=11, tooltip_font_size=12,
    )
    return {
        "style": style, "js": [], "disable_xml_declaration": True, "explicit_size": False, "width": 880,
        "height": height, "legend_at_bottom": True,
        "legend_at_bottom_columns": len(colours), "truncate_label": 28,
        "truncate_legend": -1, "print_values": False, "margin": 12,
        "value_formatter": axis_label, "max_scale": 8, "pretty_print": False,
    }


def axis_label(value: float) -> str:
    """Short tick labels (1.5M, 250k): the exact figures are in the tables beside the chart."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.4g}"


def _geometry(amount: str | None) -> float | None:
    """Bar length only: the exact figures are in the tables and the data block."""
    return None if amount is None else float(Decimal(amount))


def _svg(chart: pygal.graph.graph.Graph, caption: str) -> str:
    """The chart's SVG markup without pygal's scripts and comments, titled with the caption."""
    root = chart.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if child.tag is etree.Comment or child.tag == "script":
                parent.remove(child)
            elif child.tag == "title":
                child.text = caption
    root.set("role", "img")
    root.set("aria-label", caption)
    return etree.tostring(root, encoding="unicode")
