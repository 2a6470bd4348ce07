"""The report in a real browser: Debian's Chromium, headless, opens the file with no network.

No script errors, every chart drawn (one SVG group per series, each with a visible bar), a full-page
screenshot and a PDF print saved as artifacts (PIPELINE_TEST_ARTIFACTS, else /tmp/pipeline-test-artifacts).
The browser is installed by scripts/system-packages when missing; a browser that cannot start fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import Warehouse, WrittenReport, statement_figures_in_marts
from .page_reader import FigureCell, statement_figures

pytestmark = pytest.mark.xdist_group("browser")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
BUCKETS = ("current", "1-30", "31-60", "61-90", "91+")
KINDS = ("sale", "quotation", "annulled")
INCOME_SERIES = ("income", "costs_and_expenses", "net_income")
# The chart's drawn series: pygal repeats the series groups in its overlays, which hold no bars.
SERIES = "g.plot:not(.overlay):not(.text-overlay):not(.tooltip-overlay) > g.series"


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("PIPELINE_TEST_ARTIFACTS") or "/tmp/pipeline-test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chromium_executable() -> Path:
    """Debian's Chromium, installed with the project's script when this machine lacks it."""
    if not CHROMIUM.exists():
        subprocess.run([str(REPO / "scripts" / "system-packages"), "chromium"], check=True, timeout=600)
    assert CHROMIUM.exists(), f"{CHROMIUM} is still missing after scripts/system-packages chromium"
    return CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS,
                                              timeout=60_000)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_file(report: WrittenReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "finance-report.html"
    path.write_text(report.html, encoding="utf-8")
    return path


@pytest.fixture
def opened(browser: Browser, report_file: Path) -> Iterator[tuple[Page, list[str], list[str]]]:
    """The report opened from file://, with every console error, page error and network request recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    errors: list[str] = []
    requests: list[str] = []
    page = context.new_page()
    page.on("console", lambda message: errors.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))

    def record(route, request) -> None:
        requests.append(request.url)
        route.continue_() if request.url.startswith("file://") else route.abort()

    context.route("**/*", record)
    page.goto(report_file.as_uri(), wait_until="load")
    yield page, errors, requests
    context.close()


def expected_series(data: dict) -> dict[tuple[str, str], int]:
    """Per tenant and chart, the series the data gives: buckets holding a balance, kinds with documents, the
    income statement's figures that are not zero in every month."""
    expected = {}
    for tenant in data["tenants"]:
        chart = tenant["aging"]["chart"]
        if chart:
            expected[(tenant["tenant"], "aging")] = sum(
                any(Decimal(c["balances"][b]) != 0 for c in chart) for b in BUCKETS)
        months = tenant["sales"]["months"]
        if months:
            expected[(tenant["tenant"], "sales")] = sum(any(m["kind"] == k for m in months) for k in KINDS)
        income = tenant["statements"]["income"]
        if income:
            expected[(tenant["tenant"], "income")] = sum(any(Decimal(m[s]) != 0 for m in income) for s in INCOME_SERIES)
    return expected


def test_opens_offline_without_errors(opened, report: WrittenReport) -> None:
    page, errors, requests = opened
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    assert page.title().startswith("Finance report")
    assert page.locator("section.tenant").count() == len(report.data["tenants"])
    assert page.locator(".alert .flag.bad").first.inner_text().upper().startswith("\u26a0 STALE")


def test_every_chart_draws_every_series(opened, report: WrittenReport) -> None:
    page, errors, _ = opened
    expected = expected_series(report.data)
    assert len(expected) == 8  # aging and sales: 3 tenants with receivables; income: the 2 with a journal
    drawn = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll('figure.chart')).map(figure => ({
            tenant: figure.dataset.tenant, chart: figure.dataset.chart,
            series: Array.from(figure.querySelectorAll(selector)).map(group =>
                Array.from(group.querySelectorAll('rect')).filter(rect => {
                    const box = rect.getBBox(); return box.width > 0 && box.height > 0; }).length),
            legends: figure.querySelectorAll('g.legends > g.legend').length,
            width: figure.querySelector('svg').getBoundingClientRect().width,
        }))""", SERIES)
    assert {(d["tenant"], d["chart"]): len(d["series"]) for d in drawn} == expected
    for chart in drawn:
        assert all(bars > 0 for bars in chart["series"]), chart  # every series has a visible bar
        assert chart["legends"] == len(chart["series"]), chart
        assert chart["width"] > 600, chart
    assert errors == []


def test_statements_read_in_the_browser_are_the_marts(opened, report: WrittenReport, warehouse: Warehouse) -> None:
    """The statements' cells as Chromium renders them (their visible text) against SQL over the marts."""
    page, errors, _ = opened
    cells = page.evaluate(
        """() => Array.from(document.querySelectorAll('td[data-figure*="/statements/"]')).map(cell => ({
            pointer: cell.dataset.figure, value: cell.dataset.value, text: cell.innerText,
            visible: cell.getBoundingClientRect().width > 0 }))""")
    assert cells and all(cell["visible"] for cell in cells)
    shown = statement_figures([FigureCell(c["pointer"], c["value"], c["text"]) for c in cells], report.data)
    assert shown == statement_figures_in_marts(warehouse)
    assert errors == []


def test_screenshot_and_print(opened, report: WrittenReport) -> None:
    page, errors, _ = opened
    folder = artifacts_dir()
    screenshot = folder / "finance-report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 50_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 720, "height": 1000})  # about A4's printable width
    layout = page.evaluate(
        """() => ({
            breaks: Array.from(document.querySelectorAll('section.tenant')).map(s => getComputedStyle(s).breakBefore),
            header: getComputedStyle(document.querySelector('thead')).display,
            overflowing: Array.from(document.querySelectorAll('table')).filter(t => t.offsetParent !== null
                && t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
        })""")
    assert set(layout["breaks"]) == {"page"}, layout  # each tenant starts a page
    assert layout["header"] == "table-header-group"  # a table's header repeats on every printed page
    assert layout["overflowing"] == 0, layout  # no table cut at the page's edge
    page.screenshot(path=str(folder / "finance-report-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (folder / "finance-report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 1 + len(report.data["tenants"]), pages  # the overview, then each tenant on its own pages
    assert errors == []

