"""Reads a rendered report back with the standard library's HTML parser: the data block and the figure cells."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser


@dataclass(frozen=True)
class FigureCell:
    pointer: str
    value: str
    text: str


@dataclass
class PageReader(HTMLParser):
    data_json: str = ""
    cells: list[FigureCell] = field(default_factory=list)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    _in_data: bool = False
    _cell: dict | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "data", "action", "poster") and value:
                self.references.append((tag, name, value))
        if tag == "script" and attributes.get("id") == "report-data":
            self._in_data = True
        if tag == "td" and "data-figure" in attributes:
            self._cell = {"pointer": attributes["data-figure"], "value": attributes.get("data-value") or "",
                          "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False
        if tag == "td" and self._cell is not None:
            self.cells.append(FigureCell(self._cell["pointer"], self._cell["value"], self._cell["text"].strip()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_json += data
        elif self._cell is not None:
            self._cell["text"] += data


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def page_data(html: str) -> dict:
    """The report's figures as the page carries them (its JSON data block)."""
    text = read_page(html).data_json
    assert text, "the page has no report-data block"
    return json.loads(text)


def resolve(data: dict, pointer: str) -> object:
    """A JSON pointer (`/tenants/0/aging/overdue`) into the data."""
    node: object = data
    for part in pointer.lstrip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    return node


def statement_figures(cells: list[FigureCell], data: dict) -> dict[tuple[str, str, str], Decimal]:
    """The financial statements' figures as shown: (tenant, period, column) -> the amount the cell reads."""
    shown = {}
    for cell in cells:
        parts = cell.pointer.lstrip("/").split("/")
        if len(parts) < 4 or parts[2] != "statements":
            continue
        tenant = data["tenants"][int(parts[1])]
        row = resolve(data, "/" + "/".join(parts[:-1]))
        key = (tenant["tenant"], row["period"], parts[-1])  # type: ignore[index]
        shown[key] = Decimal(cell.text.split()[0].replace(",", ""))
    return shown
