"""Arrendasoft invoices (seeds/003): one instance per connection, a login for a token (or a fixed token), and
an envelope whose `status` is the truth, even inside an HTTP 200."""

from pipeline.config import Option, matches
from pipeline.extract import errors
from pipeline.extract.auth import HeaderAuth, LoginForToken
from pipeline.extract.model import Endpoint, Source, endpoints
from pipeline.extract.paginators import PageNumber
from pipeline.extract.reported import Total
from pipeline.extract.responses import Action, Reply, Rule


def envelope_status(test):
    def check(reply: Reply) -> bool:
        status = reply.envelope("status")
        return reply.status < 300 and isinstance(status, int) and test(status)
    return check


arrendasoft = Source(
    name="arrendasoft",
    auth={
        "login": LoginForToken(path="/login", body={"username": "{username}", "password": "{password}"},
                               token="body.token"),
        "token": HeaderAuth({"Authorization": "Bearer {token}"}),
    },
    options={"instance": Option("letters, digits and hyphen only", matches(r"^[A-Za-z0-9-]+$"))},
    rules=(
        Rule(envelope_status(lambda s: s >= 500), Action.RETRY, errors.RetriesExhausted, "envelope status 500"),
        Rule(envelope_status(lambda s: s == 401), Action.REAUTH, errors.AuthFailed, "envelope status 401"),
        Rule(envelope_status(lambda s: s >= 300), Action.FAIL, errors.UnexpectedResponse, "envelope error"),
    ),
    endpoints=endpoints(
        Endpoint("invoices", path="/invoices/list", records="body", key="factura_id",
                 paginator=PageNumber(page="page", size="page_size", size_value=1000,
                                      total_pages="pagination.total_pages", has_next="pagination.has_next_page"),
                 reported=Total("pagination.total_records", name="total_records")),
    ),
)
