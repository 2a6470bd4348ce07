"""Troyansys ERP reports (seeds/000): one company per connection, two auth contexts, a `reports:` list."""

from pipeline.config import Option, positive_int
from pipeline.extract.auth import HeaderAuth
from pipeline.extract.model import DateWindow, Endpoint, Source, endpoints
from pipeline.extract.paginators import PageNumber, WholeWindow
from pipeline.extract.reported import TotalAndSummary

# per_page above 100 is silently capped; meta (and so last_page) is present on sales only
pages = PageNumber(page="page", size="per_page", size_value=100, total_pages="meta.last_page")
dates = DateWindow(start="date_from", end="date_to")

troyansys = Source(
    name="troyansys",
    auth={
        # company context: every path moves under /company
        "company": HeaderAuth({"X-API-Key": "{api_key}"}, path_prefix="/company"),
        "user": HeaderAuth({"Authorization": "Bearer {token}", "X-Company-Id": "{company_id}"},
                           settings={"company_id": Option("required, a positive integer", positive_int)}),
    },
    explicit_mode=True,
    endpoint_option="reports",  # a 403 means a module the plan does not include: this key turns it off
    endpoints=endpoints(
        Endpoint("dashboard", path="/reports/dashboard", records=None, key=None, paginator=WholeWindow()),
        Endpoint("sales", path="/reports/sales", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="docs")),
        Endpoint("inventory", path="/reports/inventory", paginator=pages, reported=TotalAndSummary()),
        Endpoint("purchases", path="/reports/purchases", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="docs")),
        Endpoint("accounting", path="/reports/accounting", paginator=pages, window=dates,
                 reported=TotalAndSummary(summary_count="entries")),
    ),
)
