"""The sources this product ships: the one list of them in the Python code (each is described in its own
module), and the connections file validated against them."""

from collections.abc import Mapping
from pathlib import Path

from pipeline import config
from pipeline.extract.engine import ExtractResult, OnPage, RunCache, extract_partition
from pipeline.extract.model import Source
from pipeline.extract.partitions import Partition
from pipeline.sources.arrendasoft import arrendasoft
from pipeline.sources.serpi import serpi
from pipeline.sources.smartpyme import smartpyme
from pipeline.sources.troyansys import troyansys

SOURCES: dict[str, Source] = {source.name: source for source in (troyansys, smartpyme, serpi, arrendasoft)}


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None, *,
                  secrets: bool = True) -> config.Settings:
    """The connections file (PIPELINE_CONNECTIONS, else the demo file) validated against SOURCES; with
    `secrets=False` the API credentials are neither required nor read (see pipeline.config.load_settings)."""
    return config.load_settings(path, environ, sources=SOURCES, secrets=secrets)


def extract(settings: config.Settings, connection: config.Connection, endpoint: str, partition: Partition,
            run_id: str, on_page: OnPage | None = None, cache: RunCache | None = None) -> ExtractResult:
    """Land one partition of one endpoint of a shipped source's connection (see pipeline.extract.engine)."""
    return extract_partition(settings, SOURCES[connection.source], connection, endpoint, partition, run_id, on_page,
                             cache)


__all__ = ["SOURCES", "Source", "extract", "load_settings"]
