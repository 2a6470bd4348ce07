"""Alerts: a failed run, a run whose ERROR checks failed (a stale connection), or an asset past its freshness
deadline, posted as JSON to the webhook named by PIPELINE_ALERT_WEBHOOK.

The body is Slack's incoming-webhook shape (`text`) with the details beside it (`pipeline`), so a Slack or
Teams webhook works as is and an email relay or an incident tool can read the details. The URL usually holds
a token: it is never logged or printed, only the variable's name.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import httpx

WEBHOOK_VARIABLE = "PIPELINE_ALERT_WEBHOOK"
log = logging.getLogger(__name__)


def webhook_configured() -> bool:
    return bool(os.environ.get(WEBHOOK_VARIABLE, "").strip())


def send_alert(text: str, details: dict[str, Any]) -> bool:
    """Post one alert; False (and a warning naming the variable, not the URL) when it could not be delivered.
    Nothing is sent when the variable is unset."""
    url = os.environ.get(WEBHOOK_VARIABLE, "").strip()
    if not url:
        return False
    try:
        response = httpx.post(url, json={"text": text, "pipeline": details}, timeout=10)
        response.raise_for_status()
    except httpx.HTTPStatusError as error:
        log.warning("alert not delivered: the webhook in %s answered HTTP %s", WEBHOOK_VARIABLE,
                    error.response.status_code)
        return False
    except httpx.HTTPError as error:
        log.warning("alert not delivered: the webhook in %s could not be reached (%s)", WEBHOOK_VARIABLE,
                    type(error).__name__)
        return False
    return True


def failed_run_text(run_id: str, job: str, reason: str) -> str:
    return f"pipeline: run {run_id[:8]} ({job}) failed: {reason}"


def failed_checks_text(run_id: str, job: str, checks: list[str]) -> str:
    shown = ", ".join(checks[:5]) + (f" and {len(checks) - 5} more" if len(checks) > 5 else "")
    return f"pipeline: run {run_id[:8]} ({job}) succeeded, but {len(checks)} ERROR checks failed: {shown}"


def overdue_assets_text(assets: list[str]) -> str:
    shown = ", ".join(assets[:5]) + (f" and {len(assets) - 5} more" if len(assets) > 5 else "")
    return f"pipeline: {len(assets)} assets missed their freshness deadline (last night's run is overdue): {shown}"
