"""The page: one Jinja template and its stylesheet (screen and print), kept in Python so the package needs
no data files. Every figure cell carries `data-figure` (a JSON pointer into the report data) and `data-value`
(the exact decimal), so a test can check what is shown against what the data block says."""

STYLE = r"""
:root { --bad: #b00020; --bad-bg: #fde3e6; --ok: #1b5e20; --line: #c8c8c8; --head: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: #111; background: #fff;
  font: 13px/1.45 "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #111; }
h3 { font-size: 15px; margin: 22px 0 6px; }
h4 { font-size: 13px; margin: 14px 0 4px; }
p { margin: 4px 0 8px; }
code { font: 0.92em/1.3 "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; background: #f2f2f2;
  padding: 1px 4px; border-radius: 2px; }
.meta { color: #333; }
.note { border-left: 4px solid #777; padding: 4px 10px; background: #f6f6f6; }
.none { color: #444; font-style: italic; }
.cur { font-weight: 400; font-size: 14px; border: 1px solid #111; padding: 0 6px; margin-left: 8px; }
.sources { font-weight: 400; font-size: 13px; color: #444; margin-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
thead th { background: var(--head); border-bottom: 2px solid #333; font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid #333; }
tr.bad td { background: var(--bad-bg); }
tr.bad td:first-child { box-shadow: inset 5px 0 0 var(--bad); padding-left: 12px; }
.flag { font-weight: 700; white-space: nowrap; }
.flag.bad { color: var(--bad); text-transform: uppercase; letter-spacing: .04em; }
.flag.ok { color: var(--ok); }
.alert { border: 3px solid var(--bad); background: var(--bad-bg); padding: 8px 14px; margin: 10px 0; }
.alert > .flag { font-size: 15px; }
.next { border-left: 4px solid #333; background: #f4f4f4; padding: 6px 12px; margin: 6px 0 14px; }
.next strong { margin-right: 4px; }
.ok-banner { border: 1px solid var(--ok); padding: 6px 12px; color: var(--ok); font-weight: 600; }
figure.chart { margin: 8px 0 12px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 12px; color: #333; margin-top: 2px; }
details { margin: 4px 0 12px; }
details > summary { cursor: pointer; color: #0b4f8a; }
.muted { color: #555; }
table.overview .flag { white-space: normal; }
.unit { font-size: 85%; color: #333; }
code.command { display: inline-block; }
code.command span, .date { white-space: nowrap; }
@media print {
  @page { size: A4 portrait; margin: 14mm 11mm; }
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10px; }
  h2 { margin-top: 0; }
  section.tenant, section.page { break-before: page; page-break-before: always; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, .alert, .next, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th, td { padding: 2px 5px; }
  tr.bad td:first-child { box-shadow: inset 5px 0 0 #000; }
  .alert { border-color: #000; }
  .flag.bad { text-decoration: underline; }
  details > summary { color: #111; }
  figure.chart svg { max-height: 90mm; }
}
"""

PAGE = r"""<!DOCTYPE html>
{%- macro num(value, ptr) -%}
<td class="num" data-figure="{{ ptr }}" data-value="{{ '' if value is none else value }}">{{ value|amount }}</td>
{%- endmacro -%}
{%- macro money(value, currency, ptr) -%}
<td class="num" data-figure="{{ ptr }}" data-value="{{ '' if value is none else value }}">{{ value|amount }}<span class="unit"> {{ currency or '' }}</span></td>
{%- endmacro -%}
{%- macro cnt(value, ptr) -%}
<td class="num" data-figure="{{ ptr }}" data-value="{{ value }}">{{ value|count }}</td>
{%- endmacro -%}
{%- macro fig(value, unit, ptr) -%}
<td class="num" data-figure="{{ ptr }}" data-value="{{ '' if value is none else value }}">{{ value|figure(unit) }}</td>
{%- endmacro -%}
{%- macro status(word, good) -%}
{%- if good -%}<span class="flag ok">&#10003; {{ word }}</span>{%- else -%}<span class="flag bad">&#10007; {{ word }}</span>{%- endif -%}
{%- endmacro -%}
{%- macro none_or_missing(table, text) -%}
{%- if ('marts.' ~ table) in data.missing_tables -%}
<p class="none">Not available: <code>marts.{{ table }}</code> is not in this warehouse yet.</p>
{%- else -%}<p class="none">{{ text }}</p>{%- endif -%}
{%- endmacro -%}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ data.title }}: as of {{ data.as_of }}</title>
<style>{{ style }}</style>
</head>
<body>
<header>
<h1>{{ data.title }}</h1>
<p class="meta">As of <strong>{{ data.as_of }}</strong> &middot; generated {{ data.generated_at|when }} UTC
&middot; {{ data.summary.tenants }} tenant{{ 's' if data.summary.tenants != 1 }}.
Every amount is one tenant's, in that tenant's currency; amounts are never added across tenants.</p>
{% if data.aging_basis == 'latest_known_balances' %}
<p class="note">Receivables are aged as of {{ data.as_of }} from the documents' <strong>latest known balances</strong>
(the APIs give no payment history, so a past date ages today's balances).
{% if data.marts_as_of %}The published receivables marts are as of {{ data.marts_as_of }}.{% endif %}</p>
{% endif %}
{% if data.missing_tables %}
<p class="note">Not in this warehouse yet: {% for t in data.missing_tables %}<code>{{ t }}</code>{{ ', ' if not loop.last }}{% endfor %}.
Their sections say so.</p>
{% endif %}
</header>

<section id="stale-connections">
<h2>Connections</h2>
{% if data.stale_connections %}
<div class="alert">
<p class="flag bad">&#9888; Stale: {{ data.stale_connections|length }} connection{{ 's' if data.stale_connections|length != 1 }}
failed {{ 'their' if data.stale_connections|length != 1 else 'its' }} last extraction</p>
<p>Their rows below are as of their last good extraction, not as of {{ data.as_of }}.</p>
<table>
<thead><tr><th>Status</th><th>Tenant</th><th>Source</th><th>Endpoint</th><th>Figures as of</th><th>Failed at</th><th>Reason</th></tr></thead>
<tbody>
{% for c in data.stale_connections %}
<tr class="bad" data-stale="{{ c.tenant }}/{{ c.source }}/{{ c.endpoint }}"><td>{{ status('stale', false) }}</td><td>{{ c.tenant }}</td><td>{{ c.source }}</td>
<td>{{ c.endpoint }}</td><td>{{ c.last_extracted_at|when }}</td><td>{{ c.failed_at|when }}</td><td>{{ c.stale_reason or '' }}</td></tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> check the connection's credentials (the environment variables
the connections file names for it) and its plan (a report the plan does not include is refused), fix them,
then rerun <code>pipeline run</code>. The next successful extraction brings its figures up to date.</div>
</div>
{% else %}
{{ none_or_missing('rpt_connection_freshness', 'None stale: every connection extracted in the last run.') }}
{% endif %}
</section>

<section id="overview">
<h2>At a glance</h2>
<table class="overview">
<thead><tr><th>Tenant</th><th>Connections</th><th>Reconciliation</th>
<th class="num">Receivables</th><th class="num">Overdue</th><th>Trial balance</th>
<th>Other findings</th></tr></thead>
<tbody>
{% for t in data.tenants %}{% set p = '/tenants/' ~ loop.index0 %}
{% set bad_periods = t.trial_balance.periods|selectattr('status', 'ne', 'balanced')|list %}
<tr{% if t.reconciliation.mismatches or bad_periods or t.connections|selectattr('status', 'ne', 'fresh')|list %} class="bad"{% endif %}>
<td><a href="#tenant-{{ t.tenant }}">{{ t.tenant }}</a></td>
<td>{% set stale = t.connections|selectattr('status', 'ne', 'fresh')|list %}{% if stale %}{{ status(stale|length ~ ' stale', false) }}{% elif t.connections %}{{ status('fresh', true) }}{% else %}<span class="muted">no record</span>{% endif %}</td>
<td>{% if t.reconciliation.mismatches %}{{ status(t.reconciliation.mismatches|length ~ ' mismatch' ~ ('es' if t.reconciliation.mismatches|length != 1 else ''), false) }}{% elif t.reconciliation.matches %}{{ status('all match', true) }}{% else %}<span class="muted">no checks</span>{% endif %}
 {% set checks = t.reconciliation.matches|length + t.reconciliation.mismatches|length %}<br><span class="muted">({{ checks|count }} check{{ 's' if checks != 1 }})</span></td>
{{ money(t.aging.receivables, t.currency, p ~ '/aging/receivables') }}{{ money(t.aging.overdue, t.currency, p ~ '/aging/overdue') }}
<td>{% if bad_periods %}{{ status(bad_periods|length ~ ' unbalanced', false) }}{% elif t.trial_balance.periods %}{{ status('balanced', true) }}{% else %}<span class="muted">no journal</span>{% endif %}</td>
<td>{% set findings = [] %}
{% if t.unbalanced_entries %}{% set _ = findings.append(t.unbalanced_entries|length ~ ' unbalanced entr' ~ ('ies' if t.unbalanced_entries|length != 1 else 'y')) %}{% endif %}
{% if t.quarantine.records %}{% set _ = findings.append(t.quarantine.records|count ~ ' quarantined record' ~ ('s' if t.quarantine.records != 1 else '')) %}{% endif %}
{% if t.schema_drift %}{% set _ = findings.append(t.schema_drift|length ~ ' drifted field' ~ ('s' if t.schema_drift|length != 1 else '')) %}{% endif %}
{% for finding in findings %}<span class="flag bad">{{ finding }}</span>{% if not loop.last %}<br>{% endif %}{% else %}<span class="muted">none</span>{% endfor %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% if not data.tenants %}<p class="none">None: the marts hold no tenant yet.</p>{% endif %}
</section>

{% for t in data.tenants %}{% set p = '/tenants/' ~ loop.index0 %}{% set ti = loop.index0 %}{% set cur = t.currency or 'amount' %}
<section class="tenant" id="tenant-{{ t.tenant }}" data-tenant="{{ t.tenant }}">
<h2>{{ t.tenant }}<span class="cur">{{ t.currency or 'currency unknown' }}</span><span class="sources">{{ t.sources|join(', ') }}</span></h2>
{% for c in t.connections if c.status != 'fresh' %}
<div class="alert"><p class="flag bad">&#9888; Stale: {{ c.source }} {{ c.endpoint }} failed at {{ c.failed_at|when }}</p>
<p>Its figures below are as of {{ c.last_extracted_at|when }}. Reason: {{ c.stale_reason or 'not given' }}.
Check its credentials and plan, then rerun <code>pipeline run</code>.</p></div>
{% endfor %}

<h3>Reconciliation</h3>
{% set rec = t.reconciliation %}
{% if rec.mismatches %}
<p class="flag bad">&#10007; {{ rec.mismatches|length }} mismatch{{ 'es' if rec.mismatches|length != 1 }}: what the source reported differs from what the warehouse holds</p>
<table class="reconciliation mismatches">
<thead><tr><th>Status</th><th>Check</th><th>Window</th><th>Unit</th><th class="num">Expected (source)</th><th class="num">Actual (warehouse)</th><th class="num">Difference</th><th>Rerun</th></tr></thead>
<tbody>
{% for c in rec.mismatches %}{% set q = p ~ '/reconciliation/mismatches/' ~ loop.index0 %}
<tr class="bad"><td>{{ status(c.status, false) }}</td><td>{{ c.check_name }}</td><td>{{ c|window }}</td><td>{{ c.unit }}</td>
{{ fig(c.expected, c.unit, q ~ '/expected') }}{{ fig(c.actual, c.unit, q ~ '/actual') }}{{ fig(c.difference, c.unit, q ~ '/difference') }}
<td><code class="command">{{ c|rerun }}</code></td></tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> compare the window's landed pages (under <code>PIPELINE_RAW_DIR</code>,
by source, endpoint and month) with the API's own summary for that window. If pages are missing or differ, rerun
the window with the command in its row (<code>--refresh</code> re-extracts closed months too). If the landed
pages agree with the API's records, the API's summary disagrees with its own records: report it to the vendor.</div>
{% elif rec.matches %}
<p class="ok-banner">&#10003; Every check matches ({{ rec.matches|length|count }} check{{ 's' if rec.matches|length != 1 }}).</p>
{% else %}
<p class="none">None: no reconciliation checks for this tenant.</p>
{% endif %}
{% if rec.matches %}
<h4>Matching checks, per check</h4>
<table class="reconciliation matches">
<thead><tr><th>Status</th><th>Check</th><th class="num">Checks</th><th>Latest window</th><th>Unit</th><th class="num">Latest expected</th><th class="num">Latest actual</th></tr></thead>
<tbody>
{% for m in rec.matches_by_check %}{% set q = p ~ '/reconciliation/matches_by_check/' ~ loop.index0 %}
<tr><td>{{ status('match', true) }}</td><td>{{ m.check_name }}</td>{{ cnt(m.checks, q ~ '/checks') }}<td>{{ m.latest|window }}</td><td>{{ m.unit }}</td>
{{ fig(m.latest.expected, m.unit, q ~ '/latest/expected') }}{{ fig(m.latest.actual, m.unit, q ~ '/latest/actual') }}</tr>
{% endfor %}
</tbody>
</table>
<details><summary>All {{ rec.matches|length|count }} matching checks</summary>
<table class="reconciliation all-matches">
<thead><tr><th>Status</th><th>Check</th><th>Window</th><th class="num">Expected</th><th class="num">Actual</th><th class="num">Difference</th></tr></thead>
<tbody>
{% for c in rec.matches %}{% set q = p ~ '/reconciliation/matches/' ~ loop.index0 %}
<tr><td>{{ status('match', true) }}</td><td>{{ c.check_name }}</td><td>{{ c|window }}</td>
{{ fig(c.expected, c.unit, q ~ '/expected') }}{{ fig(c.actual, c.unit, q ~ '/actual') }}{{ fig(c.difference, c.unit, q ~ '/difference') }}</tr>
{% endfor %}
</tbody>
</table>
</details>
{% endif %}

<h3>Receivables aging as of {{ data.as_of }}</h3>
{% set ag = t.aging %}
{% if ag.chart %}
<figure class="chart" data-chart="aging" data-tenant="{{ t.tenant }}" data-series="{{ charts[ti].aging_series|join(',') }}">
{{ charts[ti].aging }}
<figcaption>Balance due per customer and aging bucket ({{ cur }}), largest customers first, each drawn on one scale{% if ag.others %};
the {{ ag.others.customers|count }} smaller customer{{ 's are' if ag.others.customers != 1 else ' is' }} not drawn: their total is below{% endif %}{% if data.aging_basis == 'latest_known_balances' %}; latest known balances{% endif %}.</figcaption>
</figure>
{% if ag.others %}
<table class="aging-others">
<thead><tr><th>Not drawn in the chart</th><th class="num">Documents</th><th class="num">Balance due ({{ cur }})</th></tr></thead>
<tbody><tr><td>{{ ag.others.customers|count }} other customer{{ 's' if ag.others.customers != 1 }}</td>{{ cnt(ag.others.documents, p ~ '/aging/others/documents') }}{{ num(ag.others.balance_due, p ~ '/aging/others/balance_due') }}</tr></tbody>
</table>
{% endif %}
<table class="aging-buckets">
<thead><tr><th>Bucket (days past due)</th><th class="num">Documents</th><th class="num">Balance due ({{ cur }})</th></tr></thead>
<tbody>
{% for b in ag.buckets %}<tr><td>{{ b.bucket }}</td>{{ cnt(b.documents, p ~ '/aging/buckets/' ~ loop.index0 ~ '/documents') }}{{ num(b.balance_due, p ~ '/aging/buckets/' ~ loop.index0 ~ '/balance_due') }}</tr>
{% endfor %}
<tr class="total"><td>Total open receivables</td><td class="num">{{ ag.buckets|sum(attribute='documents')|count }}</td>{{ num(ag.receivables, p ~ '/aging/receivables') }}</tr>
<tr class="total"><td>of which overdue (1 day or more)</td><td></td>{{ num(ag.overdue, p ~ '/aging/overdue') }}</tr>
</tbody>
</table>
<h4>Largest overdue balances</h4>
{% if ag.top_overdue %}
<table class="top-overdue">
<thead><tr><th class="num">#</th><th>Customer</th><th>Customer id</th><th class="num">Open documents</th><th class="num">Overdue ({{ cur }})</th><th>Oldest bucket</th></tr></thead>
<tbody>
{% for c in ag.top_overdue %}<tr><td class="num">{{ loop.index }}</td><td>{{ c.customer_name or '' }}</td><td>{{ c.customer_id or '' }}</td>
{{ cnt(c.documents, p ~ '/aging/top_overdue/' ~ loop.index0 ~ '/documents') }}{{ num(c.overdue, p ~ '/aging/top_overdue/' ~ loop.index0 ~ '/overdue') }}<td>{{ c.oldest_bucket }}</td></tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> send the list to collections. A balance the customer has
paid is recorded in the source system; the next run picks it up.</div>
{% else %}<p class="none">None overdue.</p>{% endif %}
{% else %}
<p class="none">None: no open receivables as of {{ data.as_of }}.</p>
{% endif %}

<h3>Sales by month</h3>
{% set sales = t.sales %}
{% if sales.months %}
<figure class="chart" data-chart="sales" data-tenant="{{ t.tenant }}" data-series="{{ charts[ti].sales_series|join(',') }}">
{{ charts[ti].sales }}
<figcaption>Document totals per month ({{ cur }}): sales, quotations and annulled documents apart.</figcaption>
</figure>
<table class="sales-months">
<thead><tr><th rowspan="2">Month</th><th colspan="2" class="num">Sales</th><th colspan="2" class="num">Quotations</th><th colspan="2" class="num">Annulled</th></tr>
<tr><th class="num">Documents</th><th class="num">Total ({{ cur }})</th><th class="num">Documents</th><th class="num">Total ({{ cur }})</th><th class="num">Documents</th><th class="num">Total ({{ cur }})</th></tr></thead>
<tbody>
{% for month, cells in sales.months|pivot %}<tr><td>{{ month|month }}</td>
{% for index in cells %}{% if index is none %}<td class="num muted">&ndash;</td><td class="num muted">&ndash;</td>{% else %}{% set q = p ~ '/sales/months/' ~ index %}{{ cnt(sales.months[index].documents, q ~ '/documents') }}{{ num(sales.months[index].total, q ~ '/total') }}{% endif %}{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
<details><summary>Documents by type and status</summary>
<table class="sales-statuses">
<thead><tr><th>Counted as</th><th>Document type</th><th>Status</th><th class="num">Documents</th><th class="num">Total ({{ cur }})</th></tr></thead>
<tbody>
{% for s in sales.statuses %}{% set q = p ~ '/sales/statuses/' ~ loop.index0 %}<tr><td>{{ s.kind }}</td><td>{{ s.document_type or '' }}</td><td>{{ s.status or '' }}</td>
{{ cnt(s.documents, q ~ '/documents') }}{{ num(s.total, q ~ '/total') }}</tr>
{% endfor %}
</tbody>
</table>
</details>
{% else %}
<p class="none">None: no sales documents for this tenant.</p>
{% endif %}

<h3>Financial statements</h3>
{% set st = t.statements %}
{% if st.income %}
<p class="note">Movements since the first loaded month ({{ st.income[0].period|month }}), not balances brought forward:
the APIs give no opening balances. Accounts by class: 1 assets, 2 liabilities, 3 equity, 4 income, 5 to 7 costs
and expenses; memorandum classes 8 and 9 are in neither statement. Posted entries only.</p>
<h4>Income statement by month</h4>
{% if charts[ti].income %}
<figure class="chart" data-chart="income" data-tenant="{{ t.tenant }}" data-series="{{ charts[ti].income_series|join(',') }}">
{{ charts[ti].income }}
<figcaption>Income, costs and expenses, and net income per month ({{ cur }}); a loss is drawn below zero.</figcaption>
</figure>
{% endif %}
<table class="income-statement">
<thead><tr><th>Month</th><th class="num">Income ({{ cur }})</th><th class="num">Costs and expenses ({{ cur }})</th><th class="num">Net income ({{ cur }})</th><th class="num">Net income, year to date ({{ cur }})</th></tr></thead>
<tbody>
{% for r in st.income %}{% set q = p ~ '/statements/income/' ~ loop.index0 %}
<tr><td>{{ r.period|month }}</td>{{ num(r.income, q ~ '/income') }}{{ num(r.costs_and_expenses, q ~ '/costs_and_expenses') }}{{ num(r.net_income, q ~ '/net_income') }}{{ num(r.net_income_ytd, q ~ '/net_income_ytd') }}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% if st.balance_sheet %}{% set b = st.balance_sheet %}{% set q = p ~ '/statements/balance_sheet' %}
<h4>Balance sheet at the end of {{ b.period|month }}</h4>
<table class="balance-sheet">
<thead><tr><th>Movements since the first loaded month</th><th class="num">Amount ({{ cur }})</th></tr></thead>
<tbody>
<tr><td>Assets (class 1)</td>{{ num(b.assets, q ~ '/assets') }}</tr>
<tr><td>Liabilities (class 2)</td>{{ num(b.liabilities, q ~ '/liabilities') }}</tr>
<tr><td>Equity (class 3)</td>{{ num(b.equity, q ~ '/equity') }}</tr>
<tr><td>Result to date (classes 4 to 7)</td>{{ num(b.result_to_date, q ~ '/result_to_date') }}</tr>
<tr class="total{{ '' if b.difference is zero else ' bad' }}"><td>{{ status('balanced' if b.difference is zero else 'difference', b.difference is zero) }}
Assets &minus; liabilities &minus; equity &minus; result to date</td>{{ num(b.difference, q ~ '/difference') }}</tr>
</tbody>
</table>
{% if b.difference is not zero %}<div class="next"><strong>What to do next:</strong> the difference is the imbalance
of the unbalanced entries (listed below) in classes 1 to 7: ask the accountant to correct them in the ERP; the next
run picks the correction up.</div>{% endif %}
{% endif %}
{% if not st.income and not st.balance_sheet %}
{{ none_or_missing('rpt_income_statement', 'None: no journal for this tenant.') }}
{% endif %}

<h3>Trial balance</h3>
{% set tb = t.trial_balance %}
{% if tb.periods %}
{% set bad = tb.periods|selectattr('status', 'ne', 'balanced')|list %}
{% if bad %}<p class="flag bad">&#10007; {{ bad|length }} period{{ 's' if bad|length != 1 }} where debits and credits differ</p>
{% else %}<p class="ok-banner">&#10003; Debits equal credits in every period.</p>{% endif %}
<table class="trial-balance-periods">
<thead><tr><th>Status</th><th>Period</th><th class="num">Debits ({{ cur }})</th><th class="num">Credits ({{ cur }})</th><th class="num">Debits &minus; credits</th></tr></thead>
<tbody>
{% for r in tb.periods %}{% set q = p ~ '/trial_balance/periods/' ~ loop.index0 %}
<tr{% if r.status != 'balanced' %} class="bad"{% endif %}><td>{{ status(r.status, r.status == 'balanced') }}</td><td>{{ r.period|month }}</td>
{{ num(r.debit, q ~ '/debit') }}{{ num(r.credit, q ~ '/credit') }}{{ num(r.difference, q ~ '/difference') }}</tr>
{% endfor %}
</tbody>
</table>
{% if bad %}<div class="next"><strong>What to do next:</strong> an unbalanced period holds an unbalanced entry
(listed below): ask the accountant to correct it in the ERP; the next run picks the correction up.</div>{% endif %}
<h4>Per account class and month</h4>
<table class="trial-balance">
<thead><tr><th>Period</th><th>Account class</th><th class="num">Debits ({{ cur }})</th><th class="num">Credits ({{ cur }})</th><th class="num">Closing balance ({{ cur }})</th></tr></thead>
<tbody>
{% for r in tb.classes %}{% set q = p ~ '/trial_balance/classes/' ~ loop.index0 %}
<tr><td>{{ r.period|month }}</td><td>{{ r.account_class or '' }}</td>{{ num(r.debit, q ~ '/debit') }}{{ num(r.credit, q ~ '/credit') }}{{ num(r.closing_balance, q ~ '/closing_balance') }}</tr>
{% endfor %}
</tbody>
</table>
<p class="muted">Closing balance: cumulative movement from each account's first loaded month (debits &minus; credits),
not a balance brought forward from before the first extracted month.</p>
{% else %}
<p class="none">None: no journal for this tenant.</p>
{% endif %}

<h3>Unbalanced entries</h3>
{% if t.unbalanced_entries %}
<p class="flag bad">&#10007; {{ t.unbalanced_entries|length }} posted entr{{ 'ies' if t.unbalanced_entries|length != 1 else 'y' }} whose debits and credits differ</p>
<table class="unbalanced">
<thead><tr><th>Status</th><th>Entry</th><th>Document</th><th>Date</th><th class="num">Debits ({{ cur }})</th><th class="num">Credits ({{ cur }})</th><th class="num">Difference</th></tr></thead>
<tbody>
{% for u in t.unbalanced_entries %}{% set q = p ~ '/unbalanced_entries/' ~ loop.index0 %}
<tr class="bad"><td>{{ status('unbalanced', false) }}</td><td>{{ u.entry_id }}</td><td>{{ u.document_number or '' }}</td><td>{{ u.entry_date or '' }}</td>
{{ num(u.debit, q ~ '/debit') }}{{ num(u.credit, q ~ '/credit') }}{{ num(u.difference, q ~ '/difference') }}</tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> ask the accountant to correct these entries in the ERP
(a posted entry must balance); the next run picks the correction up.</div>
{% else %}
<p class="none">None.</p>
{% endif %}

<h3>Quarantined records</h3>
{% if t.quarantine.reasons %}
<p class="flag bad">&#9888; {{ t.quarantine.records|count }} record problem{{ 's' if t.quarantine.records != 1 }} kept out of the marts</p>
<table class="quarantine-reasons">
<thead><tr><th>Reason</th><th>Where</th><th class="num">Records</th></tr></thead>
<tbody>
{% for r in t.quarantine.reasons %}<tr><td>{{ r.reason }}</td><td>{% for w in r.places %}{{ w.source }} {{ w.entity }}: {{ w.records|count }}{{ '; ' if not loop.last }}{% endfor %}</td>
{{ cnt(r.records, p ~ '/quarantine/reasons/' ~ loop.index0 ~ '/records') }}</tr>
{% endfor %}
</tbody>
</table>
{% for r in t.quarantine.reasons %}
<h4>{{ r.reason }}: first {{ r.first_rows|length }} of {{ r.records|count }}</h4>
<table class="quarantine-rows">
<thead><tr><th>Source</th><th>Entity</th><th>Record</th><th>Field</th><th>Value as landed</th><th>Partition</th><th class="num">Page</th><th class="num">Position</th></tr></thead>
<tbody>
{% for q in r.first_rows %}<tr><td>{{ q.source }}</td><td>{{ q.entity }}</td><td>{{ q.record_key or '(no key)' }}</td><td>{{ q.field or '' }}</td>
<td><code>{{ q.raw_value if q.raw_value is not none else 'null' }}</code></td><td>{{ q.partition_key or '' }}</td><td class="num">{{ q.page if q.page is not none else '' }}</td><td class="num">{{ q.record_position if q.record_position is not none else '' }}</td></tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> {{ r.reason|advice }}</div>
{% endfor %}
{% else %}
{{ none_or_missing('rpt_quarantined_records', 'None.') }}
{% endif %}

<h3>Schema drift</h3>
{% if t.schema_drift %}
<p class="flag bad">&#9888; The API stopped sending {{ t.schema_drift|length }} documented field{{ 's' if t.schema_drift|length != 1 }}</p>
<table class="schema-drift">
<thead><tr><th>Source</th><th>Endpoint</th><th>Field</th><th>First partition</th><th>Last partition</th><th class="num">Pages</th><th class="num">Records</th></tr></thead>
<tbody>
{% for d in t.schema_drift %}{% set q = p ~ '/schema_drift/' ~ loop.index0 %}<tr class="bad"><td>{{ d.source }}</td><td>{{ d.endpoint }}</td><td><code>{{ d.field }}</code></td>
<td>{{ d.first_partition or '' }}</td><td>{{ d.last_partition or '' }}</td>{{ cnt(d.pages, q ~ '/pages') }}{{ cnt(d.records, q ~ '/records') }}</tr>
{% endfor %}
</tbody>
</table>
<div class="next"><strong>What to do next:</strong> the vendor changed the API (renamed or removed the field).
Update the source description in the pipeline, then rerun the affected partitions with
<code>pipeline run --start &hellip; --end &hellip; --refresh</code>; the records quarantined as
&ldquo;missing field&rdquo; then load.</div>
{% else %}
{{ none_or_missing('rpt_schema_drift', 'None.') }}
{% endif %}
</section>
{% endfor %}
<script type="application/json" id="report-data">{{ data_json }}</script>
</body>
</html>
"""
