"""Dagster plumbing: the Definitions, the code location, the instance, executors, run history, sensors and
alerts; assets/ builds the assets from the source descriptions and the dbt manifest."""
