"""PIPELINE_EXECUTOR chooses how a run's steps spread, by configuration only; a wrong choice is one line."""

from __future__ import annotations

import pytest

from pipeline.orchestration.executors import ExecutorUnavailable, executor_from_environment


def test_celery_is_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("PIPELINE_EXECUTOR", "celery")
    monkeypatch.setenv("PIPELINE_CELERY_BROKER", "redis://broker-host:6379/0")
    from dagster_celery import celery_executor

    executor = executor_from_environment()
    assert executor.name == "celery_executor" and executor is not celery_executor  # configured: nothing to set


@pytest.mark.parametrize(("name", "broker", "says"), [
    ("celery", "", "PIPELINE_EXECUTOR=celery: set PIPELINE_CELERY_BROKER to the broker's URL"),
    ("threads", "", "PIPELINE_EXECUTOR='threads': expected one of multiprocess, in_process, celery, k8s"),
])
def test_an_executor_that_cannot_be_had_is_refused_in_one_line(monkeypatch, name, broker, says):
    monkeypatch.setenv("PIPELINE_EXECUTOR", name)
    monkeypatch.setenv("PIPELINE_CELERY_BROKER", broker)
    with pytest.raises(ExecutorUnavailable, match="^" + says.replace("(", r"\(")):
        executor_from_environment()
