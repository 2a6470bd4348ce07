"""The daemon's alert sensors: a failed run, a succeeded run whose ERROR checks failed, and an asset whose
freshness policy turned FAIL go to the webhook (pipeline.orchestration.alerts). `pipeline run` posts its own
failures: it runs outside the daemon's job list."""

import json

from dagster import (
    AssetCheckSeverity,
    AssetKey,
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
    sensor,
)
from dagster._core.definitions.freshness import FreshnessState

from pipeline.orchestration.alerts import (
    WEBHOOK_VARIABLE,
    failed_checks_text,
    failed_run_text,
    overdue_assets_text,
    send_alert,
    webhook_configured,
)


@run_failure_sensor(name="alert_on_run_failure", default_status=DefaultSensorStatus.RUNNING,
                    description=f"Posts every failed run to the webhook in {WEBHOOK_VARIABLE}.")
def alert_on_run_failure(context: RunFailureSensorContext):
    if not webhook_configured():
        return SkipReason(f"{WEBHOOK_VARIABLE} is not set")
    run = context.dagster_run
    reason = (context.failure_event.message or "see the run's log").splitlines()[0]
    send_alert(failed_run_text(run.run_id, run.job_name, reason),
               {"run_id": run.run_id, "job": run.job_name, "status": "failure", "reason": reason})
    return None


@run_status_sensor(run_status=DagsterRunStatus.SUCCESS, name="alert_on_failed_checks",
                   default_status=DefaultSensorStatus.RUNNING,
                   description=f"Posts a succeeded run whose ERROR checks failed to the webhook in {WEBHOOK_VARIABLE}.")
def alert_on_failed_checks(context: RunStatusSensorContext):
    if not webhook_configured():
        return SkipReason(f"{WEBHOOK_VARIABLE} is not set")
    run = context.dagster_run
    failed = failed_error_checks(context.instance, run.run_id)
    if failed:
        send_alert(failed_checks_text(run.run_id, run.job_name, failed),
                   {"run_id": run.run_id, "job": run.job_name, "status": "failed_checks", "checks": failed})
    return None


def failed_error_checks(instance, run_id: str) -> list[str]:
    """`asset:check` of every ERROR-severity check that failed in the run."""
    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION,
                                           limit=10_000).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            key = evaluation.asset_check_key
            failed.append(f"{key.asset_key.to_user_string()}:{key.name}")
    return sorted(failed)


def alert_on_overdue_assets(keys: list[AssetKey]) -> SensorDefinition:
    """Posts each asset whose freshness policy the freshness daemon judged FAIL (last night's run overdue),
    once per time it turned FAIL. The cursor keeps, per asset, when its last alerted FAIL began."""

    @sensor(name="alert_on_overdue_assets", minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
            description=f"Posts an asset that missed its freshness deadline to the webhook in {WEBHOOK_VARIABLE}.")
    def overdue(context: SensorEvaluationContext):
        if not webhook_configured():
            return SkipReason(f"{WEBHOOK_VARIABLE} is not set")
        alerted: dict[str, float] = json.loads(context.cursor) if context.cursor else {}
        states = context.instance.get_freshness_state_records(keys)
        new = {key.to_user_string(): record.updated_at.timestamp() for key, record in states.items()
               if record.freshness_state == FreshnessState.FAIL
               and alerted.get(key.to_user_string()) != record.updated_at.timestamp()}
        if not new:
            return SkipReason("no asset turned overdue since the last alert")
        send_alert(overdue_assets_text(sorted(new)), {"status": "overdue", "assets": sorted(new)})
        return SensorResult(cursor=json.dumps({**alerted, **new}, sort_keys=True))

    return overdue
