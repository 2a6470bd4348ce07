"""Troyansys ERP reports (seeds/000). Company auth moves every path under /company (see TroyansysAuth)."""

from pipeline.extract.auth import TroyansysAuth
from pipeline.extract.paginators import PageNumber, WholeWindow
from pipeline.extract.reported import TotalAndSummary
from pipeline.sources.model import DateWindow, Endpoint, Source, endpoints

# per_page above 100 is silently capped; meta (and so last_page) is present on sales only
pages = PageNumber(page="page", size="per_page", size_value=100, total_pages="meta.last_page")
dates = DateWindow(start="date_from", end="date_to")

troyansys = Source(
    name="troyansys",
    auth=TroyansysAuth(),
    endpoint_option="reports",
    endpoints=endpoints(
        Endpoint("dashboard", path="/reports/dashboard", records=None, key=None, paginator=WholeWindow()),
        Endpoint("sales", path="/reports/sales", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="docs")),
        Endpoint("purchases", path="/reports/purchases", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="docs")),
        Endpoint("accounting", path="/reports/accounting", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="entries")),
        Endpoint("inventory", path="/reports/inventory", paginator=pages, reported=TotalAndSummary()),
    ),
)
