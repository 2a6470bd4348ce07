"""Pages shift every night (the source contract): a shortfall or a moving total pages the partition again, a
bounded number of times; a gap no further pass closes is a finding, not a failure; a list that keeps hiding
records fails as Incomplete after MAX_PASSES."""

from __future__ import annotations

import httpx
import pytest

from pipeline.extract import errors
from pipeline.extract.engine import MAX_PASSES
from pipeline.extract.model import Endpoint
from pipeline.extract.paginators import PageNumber
from pipeline.extract.reported import Total

from .fakes import PagedList, extract, fake_source, landed_keys, manifest, numbered, reply, settings_for

SOURCE = fake_source(Endpoint("items", path="/items", records="data", key="id", reported=Total("meta.total"),
                              paginator=PageNumber(size_value=5, total_pages="meta.total_pages")))


def test_a_list_whose_total_moves_during_the_first_pass_is_paged_again(tmp_path, serve):
    """r0 is deleted after page 1 was read: page 2 starts at r6, so r5 is missed by the first pass, and the
    total moved from 10 to 9. The second pass lands r5."""
    items = PagedList(numbered(10))

    def deleting(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "2" and items.items[0]["id"] == "r0":
            del items.items[0]
        return items(request)

    serve(deleting)
    result = extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert set(landed_keys(result)) == {f"r{n}" for n in range(10)}
    assert result.passes == 2 and result.mismatch is None
    assert result.reported == {"total": 9}  # the newest answer's figure
    first, second = manifest(result)["passes"]
    assert (first["unique_after"], first["expected"], first["new_keys"]) == (9, 10, 9)
    assert first["reason"] == "the list changed while it was read (10 records stated when the pass started): paging again"
    assert (second["unique_after"], second["new_keys"], second["reason"]) == (10, 1, "")


def test_a_shortfall_with_a_steady_total_is_paged_again(tmp_path, serve):
    """The first pass misses a record (a page served short once) while the total never moves."""
    items = PagedList(numbered(10))
    short_once = {"done": False}

    def dropping(request: httpx.Request) -> httpx.Response:
        response = items(request)
        if request.url.params["page"] == "2" and not short_once["done"]:
            short_once["done"] = True
            return reply({"data": items.items[5:9], "meta": {"total": 10, "total_pages": 2}})
        return response

    serve(dropping)
    result = extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert result.passes == 2 and result.unique_records == 10 and result.mismatch is None
    assert manifest(result)["passes"][0]["reason"] == "9 unique records of 10 stated when paging started: paging again"
    assert {page["pass"] for page in manifest(result)["pages"]} == {1, 2}  # both passes landed into one run


def test_an_api_that_counts_a_record_it_never_lists_is_a_finding_not_a_failure(tmp_path, serve):
    """It states 10 and lists 9 distinct keys (one of them twice): a further pass finds nothing new."""
    records = numbered(9)
    items = PagedList([*records[:5], records[3], *records[5:]])  # r3 twice: 10 rows, 9 keys
    serve(items)
    result = extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert result.passes == 2 and result.unique_records == 9 and result.records == 20
    assert "the API reported 10" in result.mismatch and "a further pass found no record" in result.mismatch
    assert result.mismatch == ("landed 9 unique records, the API reported 10 (a further pass found no record the "
                               "earlier ones missed)")
    assert manifest(result)["mismatch"] == result.mismatch and manifest(result)["complete"] is True


def test_a_list_that_keeps_hiding_records_fails_as_incomplete_after_max_passes(tmp_path, serve):
    """Every pass shows ten keys no earlier pass saw, and never the hundred it states."""
    passes = {"n": 0}

    def shifting(request: httpx.Request) -> httpx.Response:
        passes["n"] += 1
        return reply({"data": numbered(10, f"pass{passes['n']}-"), "meta": {"total": 100, "total_pages": 1}})

    api = serve(shifting)
    with pytest.raises(errors.Incomplete) as failed:
        extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert len(api.requests) == MAX_PASSES
    assert "the API reported 100 records when paging started; 40 unique landed after 4 passes" in str(failed.value)
    assert not list((tmp_path / "raw").rglob("run=*"))  # nothing half-landed is left to be loaded


def test_a_list_that_grows_during_every_pass_stops_after_max_passes_without_failing(tmp_path, serve):
    """A shop selling all through the run: every answer adds a sale, so the total always moves; once as many
    keys as were stated at the start have landed, the last pass ends the partition."""
    items = PagedList(numbered(10))
    sold = {"n": 0}

    def selling(request: httpx.Request) -> httpx.Response:
        response = items(request)
        sold["n"] += 1
        items.items.append({"id": f"sale{sold['n']}", "amount": "1.00"})
        return response

    serve(selling)
    result = extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert result.passes == MAX_PASSES and result.mismatch is None
    assert {f"r{n}" for n in range(10)} <= set(landed_keys(result))
    assert [bool(one["reason"]) for one in manifest(result)["passes"]] == [True] * (MAX_PASSES - 1) + [False]


def test_a_steady_complete_list_is_paged_once(tmp_path, serve):
    serve(PagedList(numbered(12)))
    result = extract(settings_for(tmp_path, SOURCE), SOURCE, "items")
    assert result.passes == 1 and result.mismatch is None and result.reported == {"total": 12}
    assert manifest(result)["passes"] == [
        {"number": 1, "unique_after": 12, "new_keys": 12, "expected": 12, "reason": ""}]
