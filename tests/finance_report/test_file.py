"""The report file: self-contained (nothing to fetch when opened) and replaced atomically."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipeline.finance_report import write_report

from .conftest import Warehouse, WrittenReport
from .page_reader import read_page


def test_nothing_external_is_referenced(report: WrittenReport) -> None:
    html = report.html
    reader = read_page(html)
    assert reader.references, "expected the page's own anchors"
    for tag, attribute, value in reader.references:
        assert attribute == "href" and value.startswith("#"), (tag, attribute, value)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html and "@import" not in html and "<img" not in html and "<iframe" not in html
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", html), "no stylesheet fetches anything"
    assert "<?xml-stylesheet" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script type="application/json" id="report-data">'], scripts


def test_report_replaced_atomically_without_leftovers(warehouse: Warehouse, tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "report.html"  # the parent folder is created
    write_report(warehouse.query, out)
    first = out.stat()
    write_report(warehouse.query, out)
    second = out.stat()
    assert second.st_ino != first.st_ino, "a new file renamed over the old one, not rewritten in place"
    assert os.listdir(out.parent) == ["report.html"]
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert second.st_mode & 0o777 == 0o644


def test_a_failed_report_leaves_the_last_one(warehouse: Warehouse, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_report(warehouse.query, out)
    before = out.read_bytes()
    inode = out.stat().st_ino

    def failing(sql: str) -> list[tuple]:
        if "rpt_unbalanced_entries" in sql and "select tenant, source, entry_id" in sql:
            raise ConnectionError("warehouse went away")
        return warehouse.query(sql)

    with pytest.raises(ConnectionError):
        write_report(failing, out)
    assert out.read_bytes() == before and out.stat().st_ino == inode
    assert os.listdir(tmp_path) == ["report.html"]


def test_an_unwritable_folder_fails_without_leftovers(warehouse: Warehouse, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        write_report(warehouse.query, blocker / "report.html")
    assert sorted(os.listdir(tmp_path)) == ["not-a-folder"]
