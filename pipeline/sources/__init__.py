"""One declarative description per API; SOURCES maps source name -> Source."""

from pipeline.sources.arrendasoft import arrendasoft
from pipeline.sources.model import DateWindow, Endpoint, Source
from pipeline.sources.serpi import serpi
from pipeline.sources.smartpyme import smartpyme
from pipeline.sources.troyansys import troyansys

SOURCES: dict[str, Source] = {source.name: source for source in (troyansys, smartpyme, serpi, arrendasoft)}

__all__ = ["SOURCES", "DateWindow", "Endpoint", "Source"]
