"""Helpers of the contracting tests: a pilot run through the task's workflow."""

from workflows.engine import transition_apply

PILOT = {
    "kind": "agreement",
    "reference": "UM/PILOT/1/2026",
    "starts_on": "2026-09-01",
    "ends_on": "2026-11-15",
    "planned_units": "100",
    "planned_cost_per_unit": "100.00",
}
POSITIVE = {
    "indicators": "standard: 95\nretention: 85",
    "satisfaction": "4.50",
    "actual_units": "100",
    "actual_cost": "10500.00",
}


def pilot_run(task, official, evaluation=POSITIVE):
    task = transition_apply(obj=task, name="start_pilot", actor=official, payload=dict(PILOT))
    return transition_apply(
        obj=task, name="evaluate_pilot", actor=official, payload=dict(evaluation)
    )
