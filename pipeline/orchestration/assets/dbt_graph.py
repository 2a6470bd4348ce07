"""The dbt project as Dagster sees it, read from dbt's manifest: one asset per model (keyed `layer/model`, its
folder), sources mapped onto the load assets, one asset check per test (with the test's own description).

Built from the manifest's JSON without importing dbt or dagster-dbt: loading the definitions (every
`pipeline run`, every code-server start) then costs no dbt import; dbt is imported only by a build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dagster import AssetCheckKey, AssetCheckSpec, AssetKey, AssetSpec

from pipeline.orchestration.assets.keys import raw_key

LAYERS = ("staging", "intermediate", "marts")


@dataclass(frozen=True)
class DbtGraph:
    manifest: Mapping[str, Any]

    def key(self, unique_id: str) -> AssetKey:
        """Models `layer/model`; API sources their load asset `raw/source__endpoint`; the pipeline's own
        bookkeeping tables `raw/_table`."""
        if unique_id.startswith("source."):
            node = self.manifest["sources"][unique_id]
            if node["source_name"] == "pipeline":
                return AssetKey(["raw", node["identifier"]])
            return raw_key(node["source_name"], node["name"])
        node = self.manifest["nodes"][unique_id]
        return AssetKey([layer_of(node), node["name"]])

    def models(self) -> list[dict]:
        return [node for node in self.manifest["nodes"].values() if node["resource_type"] == "model"]

    def tests(self) -> list[dict]:
        return [node for node in self.manifest["nodes"].values() if node["resource_type"] == "test"]

    def asset_specs(self, kinds: set[str]) -> list[AssetSpec]:
        return [
            AssetSpec(
                self.key(node["unique_id"]),
                deps=[self.key(upstream) for upstream in node["depends_on"]["nodes"]],
                description=node.get("description") or f"dbt model {node['name']}",
                group_name=layer_of(node),
                kinds={"dbt", *kinds},
                skippable=True,  # a failed build materializes only the models it built
                metadata={"dbt unique_id": node["unique_id"], "materialized": node["config"]["materialized"],
                          "path": node["original_file_path"]},
            )
            for node in self.models()
        ]

    def check_key(self, test_unique_id: str) -> AssetCheckKey | None:
        test = self.manifest["nodes"][test_unique_id]
        attached = test.get("attached_node")
        ref = ((test.get("config") or {}).get("meta") or {}).get("dagster", {}).get("ref", {})
        if ref:
            attached = f"model.{self.manifest['metadata']['project_name']}.{ref['name']}"
        parents = [p for p in test["depends_on"]["nodes"] if p.startswith("model.")]
        attached = attached or (parents[0] if len(parents) == 1 else None)
        return AssetCheckKey(self.key(attached), test["name"]) if attached else None

    def check_specs(self) -> list[AssetCheckSpec]:
        specs = []
        for test in self.tests():
            key = self.check_key(test["unique_id"])
            if key is None:
                continue
            others = {self.key(p) for p in test["depends_on"]["nodes"] if p.startswith("model.")} - {key.asset_key}
            specs.append(AssetCheckSpec(
                key.name, asset=key.asset_key, description=describe_test(test), additional_deps=sorted(
                    others, key=str),
                metadata={"dbt unique_id": test["unique_id"], "severity": severity(test)},
            ))
        return specs

    def in_build_order(self, keys) -> list[AssetKey]:
        """The models among `keys`, each after every model it reads (the order Dagster accepts their events)."""
        order: list[AssetKey] = []
        done: set[str] = set()

        def visit(unique_id: str) -> None:
            if unique_id in done or not unique_id.startswith("model."):
                return
            done.add(unique_id)
            for upstream in self.manifest["nodes"][unique_id]["depends_on"]["nodes"]:
                visit(upstream)
            order.append(self.key(unique_id))

        for node in self.models():
            visit(node["unique_id"])
        wanted = set(keys)
        return [key for key in order if key in wanted]

    def model_names(self, keys: set[AssetKey]) -> list[str]:
        return sorted(node["name"] for node in self.models() if self.key(node["unique_id"]) in keys)


def layer_of(node: Mapping[str, Any]) -> str:
    fqn = node.get("fqn") or []
    return fqn[1] if len(fqn) > 2 and fqn[1] in LAYERS else "dbt"


def severity(test: Mapping[str, Any]) -> str:
    return str((test.get("config") or {}).get("severity") or "error").lower()


_LEADING_COMMENT = re.compile(r"^\s*\{#-?\s*(.*?)\s*-?#\}", re.S)


def describe_test(test: Mapping[str, Any]) -> str:
    """What the test checks, for the UI: its own description, a generic test's name and arguments, or a
    singular test's leading comment."""
    if test.get("description"):
        return test["description"]
    metadata = test.get("test_metadata") or {}
    if metadata:
        arguments = {k: v for k, v in (metadata.get("kwargs") or {}).items() if k not in ("model", "column_name")}
        what = ", ".join(f"{name}={value}" for name, value in arguments.items())
        outcome = "a warning (a finding about the data)" if severity(test) == "warn" else "an error"
        return f"dbt test {metadata.get('name')}({what}); a failure is {outcome}."
    match = _LEADING_COMMENT.match(test.get("raw_code") or "")
    return " ".join(match.group(1).split()) if match else f"dbt test {test['name']}"
