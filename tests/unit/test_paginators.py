"""Paginators against fake list APIs: which requests cover a partition, and what lands."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import httpx
import pytest

from pipeline.extract import errors
from pipeline.extract.engine import RunCache
from pipeline.extract.model import DateWindow, Endpoint
from pipeline.extract.paginators import PageNumber, SplitOnOverflow, SubWindow, WholeWindow
from pipeline.extract.partitions import Partition
from pipeline.extract.responses import Action, Reply, Rule

from .fakes import (
    FEBRUARY,
    PagedList,
    extract,
    fake_source,
    landed,
    landed_keys,
    numbered,
    reply,
    settings_for,
)


def list_source(paginator: PageNumber):
    return fake_source(Endpoint("items", path="/items", records="data", key="id", paginator=paginator))


# ------------------------------------------------------------------------------------------------ PageNumber


def test_page_number_with_a_stated_page_count_fetches_every_page_once(tmp_path, serve):
    items = PagedList(numbered(23))
    in_flight, most = 0, 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return items(request)

    serve(slow)
    source = list_source(PageNumber(size_value=5, total_pages="meta.total_pages"))
    result = extract(settings_for(tmp_path, source, max_concurrency=3), source, "items")
    assert sorted(items.served) == [1, 2, 3, 4, 5]
    assert sorted(landed_keys(result)) == sorted(item["id"] for item in items.items)
    assert result.pages == 5 and result.records == result.unique_records == 23
    assert 1 < most <= 3  # pages after the first went out together, within the connection's concurrency


def test_page_number_without_a_page_count_stops_at_the_first_empty_page(tmp_path, serve):
    items = PagedList(numbered(10), states_pages=False)
    serve(items)
    source = list_source(PageNumber(size_value=5))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert items.served == [1, 2, 3]
    assert result.pages == 2 and result.unique_records == 10  # the empty page is asked for, not landed


def test_page_number_without_a_page_count_stops_at_a_page_shorter_than_the_longest_seen(tmp_path, serve):
    items = PagedList(numbered(7), states_pages=False)
    serve(items)
    source = list_source(PageNumber(size_value=5))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert items.served == [1, 2]  # 5 then 2: a short page is the last, no third request
    assert result.unique_records == 7


def test_page_number_survives_a_server_that_silently_caps_the_page_size(tmp_path, serve):
    """Asked for 5 a page, the server serves 3: pages of 3 are full pages, not the end of the list."""
    items = PagedList(numbered(8), cap=3, states_pages=False)
    serve(items)
    source = list_source(PageNumber(size_value=5))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert items.served == [1, 2, 3]  # 3, 3, 2
    assert sorted(landed_keys(result)) == sorted(item["id"] for item in items.items)


def test_page_number_with_has_next_reads_until_the_api_says_no_more(tmp_path, serve):
    """`has_next` is believed over page lengths: a short page with more to come is not the end, and a full
    page with nothing after it is."""
    pages = {1: numbered(3, "a"), 2: numbered(1, "b"), 3: numbered(3, "c"), 4: numbered(3, "never")}

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return reply({"data": pages[number], "meta": {"has_next": number < 3}})

    api = serve(answer)
    source = list_source(PageNumber(size_value=3, has_next="meta.has_next"))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert api.pages() == [1, 2, 3]
    assert result.unique_records == 7


def test_page_number_reads_on_when_later_pages_say_the_list_grew(tmp_path, serve):
    items = PagedList(numbered(10))

    def growing(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "2" and len(items.items) == 10:
            items.items += numbered(5, "new")  # a shop sold while page 2 was asked for
        return items(request)

    serve(growing)
    source = list_source(PageNumber(size_value=5, total_pages="meta.total_pages"))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert items.served == [1, 2, 3]  # page 1 said 2 pages; page 2 said 3
    assert result.unique_records == 15 and result.passes == 1


def test_page_number_reads_on_at_most_growth_rounds_times(tmp_path, serve):
    """A list that claims one more page on every answer is read for `growth_rounds` extra rounds, then the
    pass ends (the engine's passes, not the paginator, decide whether that was enough)."""

    def endless(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return reply({"data": numbered(2, f"p{number}-"), "meta": {"total_pages": number + 1}})

    api = serve(endless)
    source = list_source(PageNumber(size_value=2, total_pages="meta.total_pages", growth_rounds=2))
    result = extract(settings_for(tmp_path, source), source, "items")
    assert api.pages() == [1, 2, 3, 4]  # page 1, then three rounds: the first read, and two for growth
    assert result.unique_records == 8


# ------------------------------------------------------------------------------------------------ WholeWindow


def test_whole_window_fetches_the_partition_in_one_request_with_its_dates(tmp_path, serve):
    summary = {"sales": "1234.50", "count": 17}
    api = serve(lambda request: reply(summary))
    source = fake_source(Endpoint("summary", path="/summary", records=None, key=None, paginator=WholeWindow(),
                                  params={"currency": "USD"}, window=DateWindow(start="from", end="to")))
    result = extract(settings_for(tmp_path, source), source, "summary", FEBRUARY)
    (request,) = api.requests
    assert request.url.path == "/v1/summary"
    assert dict(request.url.params) == {"currency": "USD", "from": "2025-02-01", "to": "2025-02-28"}
    assert landed(result, records=None) == [summary] and result.pages == 1


def test_an_empty_answer_lands_no_page_and_completes_the_partition(tmp_path, serve):
    serve(lambda request: httpx.Response(204))
    source = fake_source(Endpoint("summary", path="/summary", records=None, key=None, paginator=WholeWindow()))
    result = extract(settings_for(tmp_path, source), source, "summary")
    assert result.pages == result.records == 0 and (result.run_dir / "_manifest.json").exists()


# ------------------------------------------------------------------------------------------------ SplitOnOverflow

LIMIT = 4  # the fake API refuses a window holding more documents than this


def document(number: int, day: int, category: int, doc_number: int) -> dict:
    return {"id": number, "day": f"2025-02-{day:02d}", "category": category, "number": doc_number}


DOCUMENTS = [
    document(1, 3, 1, 1), document(2, 3, 2, 2), document(3, 12, 1, 3),
    *(document(3 + n, 20, 1, n) for n in range(1, 7)),  # one day, one category, six documents
    document(10, 20, 2, 7), document(11, 20, 2, 8), document(12, 25, 2, 1),
]

MARCH = Partition("2025-03", date(2025, 3, 1), date(2025, 3, 31))


def window_too_large(reply: Reply) -> bool:
    return reply.status == 503 and reply.retry_after is None


def documents_source(max_number: int = 8):
    return fake_source(
        Endpoint("categories", path="/categories", records="data", key="id", paginator=WholeWindow()),
        Endpoint("documents", path="/documents", method="POST", records="result", key="id",
                 window=DateWindow(start="desde", end="hasta", in_body=True),
                 rules=(Rule(window_too_large, Action.SPLIT),),
                 paginator=SplitOnOverflow(start="desde", end="hasta", categories="tipos", number_from="numDesde",
                                           number_to="numHasta", categories_from="categories",
                                           max_number=max_number)))


def documents_api(limit: int = LIMIT, refused: list | None = None):
    """POST /documents with a window body: its documents, or a 503 without Retry-After when too many."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/categories"):
            return reply({"data": [{"id": 1}, {"id": 2}]})
        ask = json_body(request)
        found = [d for d in DOCUMENTS if ask["desde"] <= d["day"] <= ask["hasta"] and d["category"] in ask["tipos"]
                 and (ask["numDesde"] or 1) <= d["number"] <= (ask["numHasta"] or 10**9)]
        if len(found) > limit:
            if refused is not None:
                refused.append(window_of(ask))
            return reply({"message": "demasiados documentos"}, status=503)
        return reply({"result": found})

    return answer


def json_body(request: httpx.Request) -> dict:
    return json.loads(request.content)


def window_of(ask: dict) -> tuple:
    return ask["desde"][-2:], ask["hasta"][-2:], tuple(ask["tipos"]), ask["numDesde"], ask["numHasta"]


def test_split_on_overflow_splits_a_refused_window_by_dates_then_category_then_number(tmp_path, serve):
    refused: list[tuple] = []
    api = serve(documents_api(refused=refused))
    source = documents_source()
    result = extract(settings_for(tmp_path, source), source, "documents", FEBRUARY, run_id="split")
    assert sorted(landed_keys(result, records="result")) == [d["id"] for d in DOCUMENTS]
    assert result.records == result.unique_records == len(DOCUMENTS)  # every document once
    assert refused == [
        ("01", "28", (1, 2), None, None),  # the month: halved by dates ...
        ("15", "28", (1, 2), None, None), ("15", "21", (1, 2), None, None), ("19", "21", (1, 2), None, None),
        ("19", "20", (1, 2), None, None),
        ("20", "20", (1, 2), None, None),  # ... down to one day: split by category ...
        ("20", "20", (1,), None, None),  # ... one category: split by number range
    ]
    answered = [window_of(json_body(r)) for r in api.to("/documents")]
    assert ("20", "20", (1,), 1, 4) in answered and ("20", "20", (1,), 5, 8) in answered
    assert len(api.to("/categories")) == 1


def test_split_on_overflow_pages_the_categories_once_per_run(tmp_path, serve):
    api = serve(documents_api(limit=100))
    source = documents_source()
    settings = settings_for(tmp_path, source)
    run = RunCache()
    for partition in (FEBRUARY, MARCH):
        extract(settings, source, "documents", partition, run_id="run1", cache=run)
    assert len(api.to("/categories")) == 1
    extract(settings, source, "documents", FEBRUARY, run_id="run2")
    assert len(api.to("/categories")) == 2


def test_split_on_overflow_fails_with_window_too_large_when_nothing_is_left_to_split(tmp_path, serve):
    api = serve(documents_api(limit=-1))  # refuses every window, even an empty one
    source = documents_source(max_number=4)
    settings = settings_for(tmp_path, source)
    with pytest.raises(errors.WindowTooLarge, match="cannot be split further") as failed:
        extract(settings, source, "documents", FEBRUARY, run_id="too-large")
    # depth first: halve 28 days to one (5 requests after the month), one category, numbers 1-4, 1-2, 1-1
    last = window_of(json_body(api.requests[-1]))
    assert last == ("01", "01", (1,), 1, 1) and failed.value.status == 503
    assert not list((tmp_path / "raw").rglob("page-*.json"))  # a failed partition leaves nothing behind


def test_a_503_with_retry_after_is_waited_out_not_split(tmp_path, serve):
    calls = {"n": 0}
    documents = documents_api(limit=100)

    def busy_once(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/documents") and calls["n"] == 0:
            calls["n"] += 1
            return reply({"message": "busy"}, status=503, headers={"Retry-After": "0"})
        return documents(request)

    api = serve(busy_once)
    source = documents_source()
    result = extract(settings_for(tmp_path, source), source, "documents", FEBRUARY, run_id="busy")
    assert [window_of(json_body(r)) for r in api.to("/documents")] == [("01", "28", (1, 2), None, None)] * 2
    assert result.unique_records == len(DOCUMENTS) and result.retries == 1


# ------------------------------------------------------------------------------------------------ SubWindow


def test_sub_window_halves_the_dates_first():
    window = SubWindow(date(2025, 2, 1), date(2025, 2, 28), (1, 2, 3))
    assert window.split(100) == [SubWindow(date(2025, 2, 1), date(2025, 2, 14), (1, 2, 3)),
                                 SubWindow(date(2025, 2, 15), date(2025, 2, 28), (1, 2, 3))]
    assert SubWindow(date(2025, 2, 1), date(2025, 2, 2), (1,)).split(100) == [
        SubWindow(date(2025, 2, 1), date(2025, 2, 1), (1,)), SubWindow(date(2025, 2, 2), date(2025, 2, 2), (1,))]


def test_sub_window_splits_a_single_day_by_category():
    day = date(2025, 2, 20)
    assert SubWindow(day, day, (1, 2, 3)).split(100) == [SubWindow(day, day, (1,)), SubWindow(day, day, (2, 3))]


def test_sub_window_splits_a_single_day_and_category_by_number_range():
    day = date(2025, 2, 20)
    assert SubWindow(day, day, (7,)).split(100) == [SubWindow(day, day, (7,), 1, 50), SubWindow(day, day, (7,), 51, 100)]
    assert SubWindow(day, day, (7,), 51, 52).split(100) == [SubWindow(day, day, (7,), 51, 51),
                                                            SubWindow(day, day, (7,), 52, 52)]


def test_sub_window_of_one_day_one_category_and_one_number_cannot_be_split():
    day = date(2025, 2, 20)
    assert SubWindow(day, day, (7,), 9, 9).split(100) == []
