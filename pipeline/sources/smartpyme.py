"""SmartPyme sales (seeds/001). Ordered by creation so records created during a run land on later pages."""

from pipeline.extract.auth import HeaderAuth
from pipeline.extract.model import DateWindow, Endpoint, Source, endpoints
from pipeline.extract.paginators import PageNumber, WholeWindow
from pipeline.extract.reported import Total
from pipeline.extract.responses import Action, Rule

sale_dates = DateWindow(start="fecha_inicio", end="fecha_fin")

smartpyme = Source(
    name="smartpyme",
    auth={"key": HeaderAuth({"Authorization": "Bearer {api_key}"})},
    rules=(Rule(lambda reply: reply.status < 300 and reply.envelope("success") is False, Action.FAIL,
                reason="success: false"),),
    endpoints=endpoints(
        Endpoint("sales", path="/sales", key="id", window=sale_dates,
                 params={"order_by": "created_at", "order_direction": "asc"},
                 paginator=PageNumber(page="page", size="per_page", size_value=200,
                                      total_pages="pagination.total_pages", has_next="pagination.has_next"),
                 reported=Total("pagination.total")),
        Endpoint("sales_summary", path="/sales/summary", key=None, window=sale_dates, paginator=WholeWindow()),
    ),
)
