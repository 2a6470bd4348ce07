"""Asset keys: `source/endpoint` lands pages, `raw/source__endpoint` loads them (the raw table's name)."""

from dagster import AssetKey


def extraction_key(source: str, endpoint: str) -> AssetKey:
    return AssetKey([source, endpoint])


def raw_key(source: str, endpoint: str) -> AssetKey:
    return AssetKey(["raw", f"{source}__{endpoint}"])
