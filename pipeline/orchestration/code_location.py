"""The Dagster code location (workspace.yaml): the definitions for the connections file of the environment."""

from pipeline.orchestration.definitions import build_definitions
from pipeline.sources import load_settings

defs = build_definitions(load_settings())
