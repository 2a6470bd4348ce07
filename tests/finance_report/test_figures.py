"""The report's figures are the marts' figures, to the cent: read back from the rendered page, compared with
SQL over the known warehouse, and with the answers worked out by hand in known_warehouse."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.finance_report import ReportError, write_report
from pipeline.finance_report.tenants import CHART_CUSTOMERS, CustomerBalance, chart_customers, other_customers

from .conftest import Warehouse, WrittenReport, build_warehouse, statement_figures_in_marts
from .known_warehouse import AS_OF, KNOWN_BUCKETS
from .page_reader import page_data, read_page, resolve, statement_figures

BUCKETS = ("current", "1-30", "31-60", "61-90", "91+")


def dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def by_tenant(report: WrittenReport) -> dict[str, dict]:
    return {t["tenant"]: t for t in report.data["tenants"]}


def _report_of(path: Path, out: Path):
    """The report written from the warehouse at `path`: its summary and its HTML."""
    warehouse = Warehouse(path)
    try:
        summary = write_report(warehouse.query, out)
    finally:
        warehouse.close()
    return summary, out.read_text(encoding="utf-8")


def test_tenants_and_currencies(report: WrittenReport, warehouse: Warehouse) -> None:
    tenants = by_tenant(report)
    assert {t: d["currency"] for t, d in tenants.items()} == {
        "acme_ec": "USD", "tienda_sv": "USD", "contable_co": "COP", "inmobiliaria_co": "COP"}
    assert report.summary.tenants == ("acme_ec", "contable_co", "inmobiliaria_co", "tienda_sv")
    assert report.data["as_of"] == "2025-06-30" and report.data["aging_basis"] == "marts"


def test_reconciliation_rows_and_statuses(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select tenant, source, check_name, window_start, window_end, snapshot_date, expected, actual, difference,"
        " status from marts.rpt_reconciliation")
    expected: dict[str, set] = defaultdict(set)
    for tenant, source, name, start, end, snapshot, exp, act, diff, status in rows:
        expected[tenant].add((source, name, day(start), day(end), day(snapshot), exp, act, diff, status))
    for tenant, data in by_tenant(report).items():
        rec = data["reconciliation"]
        assert all(c["status"] != "match" for c in rec["mismatches"])
        assert all(c["status"] == "match" for c in rec["matches"])
        shown = {(c["source"], c["check_name"], c["window_start"], c["window_end"], c["snapshot_date"],
                  dec(c["expected"]), dec(c["actual"]), dec(c["difference"]), c["status"])
                 for c in rec["mismatches"] + rec["matches"]}
        assert shown == expected[tenant], tenant
        assert len(rec["mismatches"]) + len(rec["matches"]) == len(expected[tenant])
        assert sum(m["checks"] for m in rec["matches_by_check"]) == len(rec["matches"])
    summary = report.summary
    assert (summary.reconciliation_mismatches, summary.reconciliation_matches) == (3, 12)
    mismatch = by_tenant(report)["tienda_sv"]["reconciliation"]["mismatches"][0]
    assert (mismatch["check_name"], dec(mismatch["difference"])) == ("smartpyme.sales.total_iva", Decimal("0.005"))


def test_mismatches_come_first_and_unmistakable(report: WrittenReport) -> None:
    html = report.html
    section = html[html.index('id="tenant-acme_ec"'):html.index('id="tenant-contable_co"')]
    assert section.index("&#10007; mismatch") < section.index("Matching checks")
    assert 'class="bad"><td><span class="flag bad">&#10007; mismatch</span>' in section  # colour and a word
    assert "pipeline run --start 2025-06-01" in section.replace("</span> <span>", " ").replace("<span>", "")
    latest = by_tenant(report)["acme_ec"]["reconciliation"]["matches_by_check"]
    docs = next(m for m in latest if m["check_name"] == "troyansys.sales.docs")
    assert (docs["checks"], docs["latest"]["window_end"], docs["unit"]) == (2, "2025-06-30", "count")


def test_aging_per_bucket_against_fct_receivables(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select tenant, aging_bucket, count(*), sum(balance_due) from marts.fct_receivables"
        " where as_of_date = date '2025-06-30' group by tenant, aging_bucket")
    expected = {(t, b): (n, amount) for t, b, n, amount in rows}
    for tenant, data in by_tenant(report).items():
        buckets = {b["bucket"]: (b["documents"], dec(b["balance_due"])) for b in data["aging"]["buckets"]}
        assert list(buckets) == list(BUCKETS)
        for bucket in BUCKETS:
            assert buckets[bucket] == expected.get((tenant, bucket), (0, Decimal(0))), (tenant, bucket)
        if tenant in KNOWN_BUCKETS:
            assert {b: amount for b, (_, amount) in buckets.items()} == {
                b: Decimal(v) for b, v in KNOWN_BUCKETS[tenant].items()}
        total = sum((amount for _, amount in buckets.values()), Decimal(0))
        assert dec(data["aging"]["receivables"]) == total
    assert dec(by_tenant(report)["acme_ec"]["aging"]["overdue"]) == Decimal("5930.75")


def test_top_overdue_customers_against_fct_receivables(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select tenant, customer_id, customer_name, sum(balance_due) from marts.fct_receivables"
        " where days_past_due > 0 group by tenant, customer_id, customer_name")
    expected: dict[str, list] = defaultdict(list)
    for tenant, customer_id, name, overdue in rows:
        expected[tenant].append((customer_id, name, overdue))
    for tenant, data in by_tenant(report).items():
        shown = [(c["customer_id"], c["customer_name"], dec(c["overdue"])) for c in data["aging"]["top_overdue"]]
        assert shown == sorted(expected[tenant], key=lambda c: (-c[2], c[1])), tenant
    acme = by_tenant(report)["acme_ec"]["aging"]["top_overdue"]
    assert [(c["customer_name"], c["overdue"]) for c in acme] == [
        ("Distribuidora Quito", "4480.2500"), ("Hotel Pacifico & Cia <Manta>", "870.0000"),
        ("Ferreteria Andes", "580.5000")]


def test_same_customer_name_stays_in_its_tenant_and_currency(report: WrittenReport) -> None:
    tenants = by_tenant(report)
    usd = [c for c in tenants["tienda_sv"]["aging"]["chart"] if c["customer_name"] == "Comercial Andina"]
    cop = [c for c in tenants["inmobiliaria_co"]["aging"]["chart"] if c["customer_name"] == "Comercial Andina"]
    assert usd[0]["balances"]["current"] == "120.0000"
    assert cop[0]["balances"]["current"] == "1500000.0000"


def test_sales_per_month_and_kind(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select tenant, strftime(issue_date, '%Y-%m'),"
        " case when is_quotation then 'quotation' when is_void then 'annulled' else 'sale' end,"
        " count(*), sum(total) from marts.fct_sales group by all")
    expected = {(t, m, k): (n, total) for t, m, k, n, total in rows}
    shown = {(t, s["month"], s["kind"]): (s["documents"], dec(s["total"]))
             for t, d in by_tenant(report).items() for s in d["sales"]["months"]}
    assert shown == expected
    june = {s["kind"]: s for s in by_tenant(report)["tienda_sv"]["sales"]["months"] if s["month"] == "2025-06"}
    assert (june["sale"]["documents"], june["sale"]["total"]) == (2, "130.0000")  # 202 and the pre-sale 207
    assert (june["quotation"]["total"], june["annulled"]["total"]) == ("999.0000", "33.3300")
    statuses = {(s["document_type"], s["status"]) for s in by_tenant(report)["tienda_sv"]["sales"]["statuses"]}
    assert ("Factura", "Pre-venta") in statuses and ("Cotizacion", "Cotizacion") in statuses


def test_trial_balance_per_class_and_month(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select tenant, period, account_class, sum(debit), sum(credit), sum(closing_balance)"
        " from marts.fct_journal_balance group by all")
    expected = {(t, day(p), c): (d, cr, cl) for t, p, c, d, cr, cl in rows}
    shown = {(t, r["period"], r["account_class"]): (dec(r["debit"]), dec(r["credit"]), dec(r["closing_balance"]))
             for t, d in by_tenant(report).items() for r in d["trial_balance"]["classes"]}
    assert shown == expected
    periods = warehouse.query(
        "select tenant, period, sum(debit), sum(credit) from marts.fct_journal_balance group by all")
    expected_periods = {(t, day(p)): (d, c, "balanced" if d == c else "unbalanced") for t, p, d, c in periods}
    shown_periods = {(t, p["period"]): (dec(p["debit"]), dec(p["credit"]), p["status"])
                     for t, d in by_tenant(report).items() for p in d["trial_balance"]["periods"]}
    assert shown_periods == expected_periods
    june = shown_periods[("contable_co", "2025-06-01")]
    assert june == (Decimal("1190000.0000"), Decimal("1189999.9900"), "unbalanced")
    assert [p["difference"] for p in by_tenant(report)["contable_co"]["trial_balance"]["periods"]] == [
        "0.0000", "0.0000", "0.0100"]


def test_statements_on_the_page_are_the_marts(report: WrittenReport, warehouse: Warehouse) -> None:
    shown = statement_figures(read_page(report.html).cells, report.data)
    assert shown == statement_figures_in_marts(warehouse)
    assert len(shown) == 5 * 4 + 2 * 5  # five months of income statements, two last-month balance sheets
    assert shown[("contable_co", "2025-06-01", "difference")] == Decimal("0.01")  # the unbalanced cent
    assert shown[("acme_ec", "2025-06-01", "difference")] == 0
    assert shown[("acme_ec", "2025-06-01", "net_income_ytd")] == Decimal("993.105")


def test_known_statements_tie_to_the_known_trial_balance(warehouse: Warehouse) -> None:
    """The hand-written statements agree with the hand-written trial balance (as the dbt tests require)."""
    trial = warehouse.query(
        "select tenant, period, sum(case when account_class in ('4', '5', '6', '7') then -net else 0 end),"
        " sum(case when account_class in ('1', '2', '3', '4', '5', '6', '7') then closing_balance else 0 end)"
        " from marts.fct_journal_balance group by tenant, period")
    statements = warehouse.query(
        "select i.tenant, i.period, i.net_income, b.difference from marts.rpt_income_statement as i"
        " join marts.rpt_balance_sheet as b on b.tenant = i.tenant and b.period = i.period")
    assert sorted(trial) == sorted(statements)


def test_statements_say_they_are_movements_not_balances_brought_forward(report: WrittenReport) -> None:
    html = report.html
    for tenant in ("acme_ec", "contable_co"):
        section = html[html.index(f'id="tenant-{tenant}"'):]
        statements = section[section.index("<h3>Financial statements</h3>"):section.index("<h3>Trial balance</h3>")]
        assert "not balances brought forward" in statements and "no opening balances" in statements
        assert 'data-chart="income"' in statements and 'class="balance-sheet"' in statements
    contable = html[html.index('id="tenant-contable_co"'):html.index('id="tenant-inmobiliaria_co"')]
    assert "Balance sheet at the end of Jun 2025" in contable and "&#10007; difference" in contable
    tienda = html[html.index('id="tenant-tienda_sv"'):]
    assert "None: no journal for this tenant." in tienda[tienda.index("<h3>Financial statements</h3>"):]


def customers_with_spread(count: int) -> list[CustomerBalance]:
    """One customer a hundred times the next ones, and many small ones (largest first, as the report sorts)."""
    amounts = [Decimal(1_000_000), *(Decimal(60_000 - i) for i in range(3)), *(Decimal(10_000) for _ in range(count))]
    return [CustomerBalance(str(i), f"Customer {i}", 1, {"current": a, "1-30": Decimal(0), "31-60": Decimal(0),
                                                          "61-90": Decimal(0), "91+": Decimal(0)})
            for i, a in enumerate(amounts)]


def test_aging_chart_draws_each_customer_readably_and_gives_the_others_as_a_figure() -> None:
    customers = customers_with_spread(420)
    drawn, others = chart_customers(customers), other_customers(customers)
    assert [c.customer_id for c in drawn] == ["0", "1", "2", "3"]  # each at least a twentieth of the largest
    assert all(c.total * 20 >= drawn[0].total for c in drawn)
    assert others is not None and (others.customers, others.documents) == (420, 420)
    assert others.balance_due == Decimal(4_200_000)  # larger than any bar: a figure, never a bar
    assert sum((c.total for c in drawn), others.balance_due) == sum((c.total for c in customers), Decimal(0))
    even = customers_with_spread(0)[1:] * 4
    assert len(chart_customers(even)) == CHART_CUSTOMERS and other_customers(even).customers == 4


def test_statements_left_out_of_an_older_warehouse_say_so(tmp_path: Path) -> None:
    _, html = _report_of(build_warehouse(tmp_path / "old.duckdb", report_only=False), tmp_path / "report.html")
    assert "<code>marts.rpt_income_statement</code> is not in this warehouse yet" in html
    assert 'class="income-statement"' not in html and 'class="balance-sheet"' not in html


def test_unbalanced_entries(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query("select tenant, entry_id, document_number, entry_date, debit, credit, difference"
                           " from marts.rpt_unbalanced_entries")
    shown = [(t, u["entry_id"], u["document_number"], u["entry_date"], dec(u["debit"]), dec(u["credit"]),
              dec(u["difference"])) for t, d in by_tenant(report).items() for u in d["unbalanced_entries"]]
    assert shown == [(t, e, n, day(dt), d, c, diff) for t, e, n, dt, d, c, diff in rows]
    assert report.summary.unbalanced_entries == 1


def test_quarantine_counts_by_reason_with_first_rows(report: WrittenReport, warehouse: Warehouse) -> None:
    rows = warehouse.query("select tenant, reason, count(*) from marts.rpt_quarantined_records group by all")
    shown = {(t, r["reason"]): r["records"] for t, d in by_tenant(report).items()
             for r in d["quarantine"]["reasons"]}
    assert shown == {(t, reason): n for t, reason, n in rows}
    dates = by_tenant(report)["acme_ec"]["quarantine"]["reasons"][0]
    assert (dates["reason"], dates["records"], len(dates["first_rows"])) == ("impossible or malformed date", 7, 5)
    assert [r["record_position"] for r in dates["first_rows"]] == [4, 5, 6, 7, 8]  # landing order
    assert report.summary.quarantined_records == 10
    html = report.html
    assert "Correct the date on the record in the source system" in html
    assert "The API no longer sends this field" in html


def test_stale_connections_and_drift(report: WrittenReport, warehouse: Warehouse) -> None:
    stale = warehouse.query("select tenant, source, endpoint, last_extracted_at, stale_reason, failed_at"
                            " from marts.rpt_connection_freshness where status = 'stale'")
    shown = [(c["tenant"], c["source"], c["endpoint"], c["last_extracted_at"], c["stale_reason"], c["failed_at"])
             for c in report.data["stale_connections"]]
    assert shown == [(t, s, e, last.isoformat(), reason, failed.isoformat()) for t, s, e, last, reason, failed in stale]
    assert report.summary.stale_connections == 1
    html = report.html
    assert html.index('id="stale-connections"') < html.index('id="tenant-acme_ec"')
    assert 'data-stale="tienda_sv/smartpyme/sales"' in html and "check the connection's credentials" in html
    drift = warehouse.query("select tenant, source, endpoint, field, pages, records from marts.rpt_schema_drift")
    shown_drift = [(t, r["source"], r["endpoint"], r["field"], r["pages"], r["records"])
                   for t, d in by_tenant(report).items() for r in d["schema_drift"]]
    assert shown_drift == [tuple(row) for row in drift]
    assert "the vendor changed the API" in html


def test_every_figure_cell_shows_its_data_exactly(report: WrittenReport) -> None:
    """The tables are the data block: each figure cell points into it and shows the same number."""
    cells = read_page(report.html).cells
    assert len(cells) > 150
    for cell in cells:
        value = resolve(report.data, cell.pointer)
        assert cell.value == ("" if value is None else str(value)), cell
        number, *unit = cell.text.split()
        tenant = report.data["tenants"][int(cell.pointer.split("/")[2])]
        assert unit in ([], [tenant["currency"]]), cell  # an amount named with a unit is in its tenant's currency
        if value is None:
            assert number == "\u2014"
        else:
            assert Decimal(number.replace(",", "")) == Decimal(str(value)), cell  # never rounded away
    pointers = {cell.pointer for cell in cells}
    acme = "/tenants/0"
    assert f"{acme}/aging/buckets/4/balance_due" in pointers
    assert f"{acme}/reconciliation/mismatches/0/difference" in pointers


def test_sub_cent_difference_is_shown_not_rounded_away(report: WrittenReport) -> None:
    cells = {c.pointer: c.text for c in read_page(report.html).cells}
    tienda = next(i for i, t in enumerate(report.data["tenants"]) if t["tenant"] == "tienda_sv")
    assert cells[f"/tenants/{tienda}/reconciliation/mismatches/0/difference"] == "0.005"
    assert cells[f"/tenants/{tienda}/reconciliation/mismatches/0/actual"] == "15.605"


def test_another_as_of_ages_latest_balances_from_fct_sales(warehouse: Warehouse, tmp_path: Path) -> None:
    as_of = date(2025, 5, 31)
    out = tmp_path / "report.html"
    summary = write_report(warehouse.query, out, as_of=as_of)
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    assert summary.as_of == as_of and data["aging_basis"] == "latest_known_balances"
    assert "latest known balances" in html
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for tenant, issue, due, balance in warehouse.query(
            "select tenant, issue_date, due_date, balance_due from marts.fct_sales where is_receivable_kind"):
        if balance > 0 and issue <= as_of:
            days = (as_of - due).days
            bucket = next(b for b, top in zip(BUCKETS, (0, 30, 60, 90, 10**9), strict=True) if days <= top)
            expected[(tenant, bucket)] += balance
    shown = {(t["tenant"], b["bucket"]): dec(b["balance_due"]) for t in data["tenants"]
             for b in t["aging"]["buckets"] if dec(b["balance_due"])}
    assert shown == dict(expected)
    assert shown[("acme_ec", "current")] == Decimal("580.5000")  # 102: due 2025-06-09, not yet due on 05-31


def test_report_only_marts_missing_say_so(tmp_path: Path) -> None:
    summary, html = _report_of(build_warehouse(tmp_path / "old.duckdb", report_only=False),
                               tmp_path / "report.html")
    assert summary.stale_connections == 0 and summary.quarantined_records == 0
    assert "<code>marts.rpt_quarantined_records</code> is not in this warehouse yet" in html
    assert "<code>marts.rpt_connection_freshness</code> is not in this warehouse yet" in html


def test_empty_report_only_marts_say_none(tmp_path: Path) -> None:
    path = build_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path))
    for table in ("rpt_connection_freshness", "rpt_schema_drift", "rpt_quarantined_records"):
        con.execute(f"delete from marts.{table}")
    con.close()
    _, html = _report_of(path, tmp_path / "report.html")
    assert "None stale: every connection extracted in the last run." in html
    assert "is not in this warehouse yet" not in html


def test_unbuilt_warehouse_is_refused(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        with pytest.raises(ReportError, match="marts.fct_sales"):
            write_report(lambda sql: con.execute(sql).fetchall(), tmp_path / "report.html")
    finally:
        con.close()
    assert not (tmp_path / "report.html").exists()


def test_thousands_of_checks_render_quickly_with_matches_collapsed(tmp_path: Path) -> None:
    start = date(2015, 1, 1)
    extra = []
    for i in range(3000):
        window = start + timedelta(days=i)
        extra.append(("acme_ec", "troyansys", "troyansys.purchases.total", window.isoformat(),
                      window.isoformat(), f"{i}.5000", f"{i}.5000", "0", "match", None))
    path = build_warehouse(tmp_path / "big.duckdb", extra_reconciliation=extra)
    big = Warehouse(path)
    try:
        started = time.perf_counter()
        summary = write_report(big.query, tmp_path / "report.html")
        elapsed = time.perf_counter() - started
    finally:
        big.close()
    assert summary.reconciliation_matches == 3012 and elapsed < 10
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    visible = html.split("<details>")[0]
    assert "troyansys.purchases.total" in visible  # summarized: one row per check
    purchases = page_data(html)["tenants"][0]["reconciliation"]["matches_by_check"]
    row = next(m for m in purchases if m["check_name"] == "troyansys.purchases.total")
    assert (row["checks"], row["latest"]["window_end"]) == (3000, (start + timedelta(days=2999)).isoformat())


def test_as_of_is_inlined_only_from_a_date() -> None:
    from pipeline.finance_report.figures import sql_date

    assert sql_date(AS_OF) == "date '2025-06-30'"
    with pytest.raises(TypeError):
        sql_date("2025-06-30'; drop table marts.fct_sales; --")  # type: ignore[arg-type]


def test_sql_is_portable(warehouse: Warehouse, tmp_path: Path) -> None:
    """Every statement the report sends avoids DuckDB-only (and PostgreSQL-only) syntax, and names its tables
    `marts.<table>`. (The same statements were run by hand on PostgreSQL 15: the same page data.)"""
    sent: list[str] = []

    def recording(sql: str) -> list[tuple]:
        sent.append(sql)
        return warehouse.query(sql)

    write_report(recording, tmp_path / "a.html")
    write_report(recording, tmp_path / "b.html", as_of=date(2025, 5, 31))
    banned = re.compile(r"group by all|\bqualify\b|\blist_|::|\bstrftime\b|\bdate_diff\b|\bany_value\b|\bilike\b"
                        r"|\$\d|\?|\bstruct\b|\bunnest\b|\bdate_part\b|\binterval\b|\bto_char\b")
    for sql in sent:
        assert not banned.search(sql.lower()), sql
        tables = re.findall(r"\b(?:from|join)\s+([\w.]+)", re.sub(r"extract\(\w+ from", "", sql))
        assert tables and all(t.startswith(("marts.", "information_schema.")) for t in tables), sql
