"""How a run's steps are spread, chosen by PIPELINE_EXECUTOR where the code location loads.

- `multiprocess` (default): each step in its own process on the run worker's host; extraction steps of
  different endpoints run side by side (pools still keep warehouse writers and SERPI one at a time).
- `in_process`: every step in the run worker (least memory, no parallel steps).
- `celery`: steps as Celery tasks on workers on other hosts (dagster-celery, installed with the pipeline). The
  broker and result backend are PIPELINE_CELERY_BROKER (e.g. `redis://broker-host:6379/0`); workers run
  `dagster-celery worker start -A dagster_celery.app -y deploy/celery.yaml` with the same environment.
- `k8s`: each step as a Kubernetes Job (`pip install dagster-k8s`; image and namespace in the job's run
  config, see the README).

`pipeline run` ignores it: it executes in its own process.
"""

from __future__ import annotations

import importlib
import os

from dagster import ExecutorDefinition, in_process_executor, multiprocess_executor

EXECUTOR_VARIABLE = "PIPELINE_EXECUTOR"
BROKER_VARIABLE = "PIPELINE_CELERY_BROKER"
_PLUGINS = {  # name -> (module, attribute, package to install)
    "celery": ("dagster_celery", "celery_executor", "dagster-celery"),
    "k8s": ("dagster_k8s", "k8s_job_executor", "dagster-k8s"),
}


class ExecutorUnavailable(Exception):
    """PIPELINE_EXECUTOR names an executor this installation cannot provide (one line saying why)."""


def executor_from_environment() -> ExecutorDefinition:
    name = os.environ.get(EXECUTOR_VARIABLE, "").strip() or "multiprocess"
    if name == "multiprocess":
        return multiprocess_executor
    if name == "in_process":
        return in_process_executor
    if name not in _PLUGINS:
        raise ExecutorUnavailable(f"{EXECUTOR_VARIABLE}={name!r}: expected one of multiprocess, in_process, "
                                  f"{', '.join(_PLUGINS)}")
    module, attribute, package = _PLUGINS[name]
    try:
        executor = getattr(importlib.import_module(module), attribute)
    except ImportError:
        raise ExecutorUnavailable(f"{EXECUTOR_VARIABLE}={name}: the package {package} is not installed here "
                                  f"(pip install {package} on every host of the deployment)") from None
    if name == "celery":
        if not os.environ.get(BROKER_VARIABLE):
            raise ExecutorUnavailable(f"{EXECUTOR_VARIABLE}=celery: set {BROKER_VARIABLE} to the broker's URL "
                                      "(e.g. redis://broker-host:6379/0), the same on the workers")
        broker = {"env": BROKER_VARIABLE}
        return executor.configured({"broker": broker, "backend": broker}, name="celery_executor")
    return executor
