"""What a person should do next about each kind of finding, in words a finance team can act on."""

from __future__ import annotations

# Quarantine reasons the staging models write (stg_quarantined_records), and what fixes each.
QUARANTINE_ADVICE = {
    "impossible or malformed date": "Correct the date on the record in the source system.",
    "malformed timestamp": "Correct the date and time on the record in the source system.",
    "missing required value": "Fill in the missing value on the record in the source system.",
    "more than 4 decimal places": "Round the amount on the record in the source system to at most 4 decimals.",
    "absurd quantity": "Correct the quantity on the record in the source system.",
}
MISSING_FIELD_ADVICE = (
    "The API no longer sends this field (see Schema drift): nothing is wrong at the source. Update the source "
    "description in the pipeline, then rerun the affected partitions with `--refresh`; these records then load."
)
QUARANTINE_DEFAULT = "Correct the record in the source system."
QUARANTINE_AFTER = "The next run picks the corrected record up; nothing needs to be changed in the warehouse."


def quarantine_advice(reason: str) -> str:
    """The fix for one reason, then what happens after it."""
    if reason == "missing field":
        return MISSING_FIELD_ADVICE
    if reason.startswith("duplicate"):
        first = "Two versions of the record conflict: keep one in the source system."
    else:
        first = QUARANTINE_ADVICE.get(reason, QUARANTINE_DEFAULT)
    return f"{first} {QUARANTINE_AFTER}"


def rerun_command(check: dict) -> str:
    """The command that re-extracts a check's window (a snapshot is re-taken as the API stands now)."""
    if check.get("window_start") and check.get("window_end"):
        return f"pipeline run --start {check['window_start']} --end {check['window_end']} --refresh"
    return "pipeline run --refresh"
