"""SERPI ERP accounting documents (seeds/002): one request in flight per token, two no-records forms, a count
in the message, and whole-window queries that the API refuses (503 without Retry-After) when they hold too
many documents. Follow-up syncs at most every 5 minutes."""

import re

from pipeline.config import Option, matches, positive_int_list
from pipeline.extract import errors
from pipeline.extract.auth import HeaderAuth
from pipeline.extract.model import DateWindow, Endpoint, Refresh, Source, endpoints
from pipeline.extract.paginators import PageNumber, SplitOnOverflow
from pipeline.extract.reported import CountInMessage
from pipeline.extract.responses import Action, Reply, Rule, status_is

# the documented no-records body, invalid JSON because of its trailing comma
_NO_RECORDS = re.compile(rb'^\s*\{\s*"success"\s*:\s*true\s*,\s*"code"\s*:\s*204\b')
# "2 registro(s) encontrados"
RECORDS_FOUND = rb'"message"\s*:\s*"(\d+)\s+registro'


def no_records_body(reply: Reply) -> bool:
    return reply.status < 300 and bool(_NO_RECORDS.match(reply.content))


def envelope_code(low: int, high: int):
    def check(reply: Reply) -> bool:
        code = reply.envelope("code")
        return reply.envelope("success") is False and isinstance(code, int) and low <= code <= high
    return check


def window_too_large(reply: Reply) -> bool:
    return reply.status == 503 and reply.retry_after is None


serpi = Source(
    name="serpi",
    auth={"keys": HeaderAuth({"secretkey": "{secret_key}", "Authorization": "Bearer {token}"})},
    serialized=True,
    options={
        "documents_path": Option("must be a path starting with /", matches(r"^/"),
                                 default="/DocumentoContable/GetDocumentoContable"),
        "document_types": Option("a non-empty list of document type ids (integers)", positive_int_list,
                                 convert=tuple),
    },
    refresh=Refresh(cron="*/5 * * * *", description="SERPI journal refresh (current month), at most every 5 minutes."),
    rules=(
        Rule(status_is(204), Action.EMPTY),
        Rule(no_records_body, Action.EMPTY),
        Rule(envelope_code(204, 204), Action.EMPTY),
        Rule(envelope_code(429, 429), Action.RATE_LIMITED, errors.RetriesExhausted, "token in use"),
        Rule(envelope_code(500, 599), Action.RETRY, errors.RetriesExhausted, "envelope error"),
        Rule(lambda reply: reply.status < 300 and reply.envelope("success") is False, Action.FAIL,
             errors.UnexpectedResponse, "success: false"),
    ),
    endpoints=endpoints(
        Endpoint("document_types", path="/DocumentoContable/GetTipoDocumento", records="result", key="id",
                 paginator=PageNumber(page="Página", size="Límite", size_value=100),
                 reported=CountInMessage(RECORDS_FOUND)),
        Endpoint("documents", path="{documents_path}", method="POST", records="result", key="id",
                 window=DateWindow(start="fechaDesde", end="fechaHasta", in_body=True),
                 rules=(Rule(window_too_large, Action.SPLIT),),
                 paginator=SplitOnOverflow(start="fechaDesde", end="fechaHasta", categories="tiposDocumentos",
                                           number_from="numeroDesde", number_to="numeroHasta",
                                           categories_from="document_types", categories_option="document_types"),
                 reported=CountInMessage(RECORDS_FOUND, window_fields=(
                     ("fecha_desde", "fechaDesde"), ("fecha_hasta", "fechaHasta"), ("tipos", "tiposDocumentos"),
                     ("numero_desde", "numeroDesde"), ("numero_hasta", "numeroHasta")))),
    ),
)
