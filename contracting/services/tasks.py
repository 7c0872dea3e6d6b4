"""Writes of tasks, pilots and efficiency analyses (each audited)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from workflows.audit import audit_record, snapshot
from workflows.errors import InvalidInput

from ..models import (
    AnalysisEvaluation,
    AnalysisOption,
    ContractingModel,
    EfficiencyAnalysis,
    Pilot,
    Task,
)
from ..scoring import OptionInput, cents, figures_compute

TASK_FIELDS = [
    "title",
    "beneficiaries",
    "unit",
    "units_per_year",
    "beneficiaries_per_year",
    "years",
    "area",
    "model",
    "contractor_name",
]
OPTION_INPUTS = [
    "kind",
    "yearly_cost",
    "years",
    "units_per_year",
    "beneficiaries_per_year",
    "volunteer_hours",
    "own_contribution",
    "local_partners",
    "participation",
    "risk_level",
    "risks",
]
OPTION_FIGURES = [
    "total_cost",
    "cost_per_unit",
    "cost_per_beneficiary",
    "social_value",
    "cost_score",
    "social_score",
    "risk_score",
    "weighted_score",
]


def _official(actor: User, organisation_id: int) -> None:
    role_require(actor, organisation_id, Role.OFFICIAL)


@transaction.atomic
def task_create(*, actor: User, organisation, **data) -> Task:
    """Plan a task under a model (a preset of the organisation or a default one)."""
    _official(actor, organisation.pk)
    model: ContractingModel = data["model"]
    if model.organisation_id not in (None, organisation.pk):
        raise InvalidInput(field_errors={"model": [_("Choose one of your models.")]})
    if data["years"] < 1:
        raise InvalidInput(field_errors={"years": [_("A task lasts at least one year.")]})
    task = Task.objects.create(organisation=organisation, created_by=actor, **data)
    audit_record(obj=task, actor=actor, action="task_create", after=snapshot(task, TASK_FIELDS))
    return task


def pilot_create(*, task: Task, actor: User, **data) -> Pilot:
    """Inside the ``start_pilot`` transition: the pilot's plan."""
    pilot = Pilot.objects.create(task=task, **data)
    audit_record(
        obj=task,
        actor=actor,
        action="pilot_create",
        after=snapshot(
            pilot, ["kind", "reference", "starts_on", "ends_on", "planned_cost_per_unit"]
        ),
    )
    return pilot


def _indicators_parse(text: str, known: dict) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, value = line.partition(":")
        code = code.strip()
        try:
            amount = Decimal(value.strip()) if sep else None
        except ArithmeticError:
            amount = None
        if code not in known or amount is None or not amount.is_finite():
            raise InvalidInput(
                field_errors={
                    "indicators": [
                        _(
                            "Line %(n)d: write the code of one of the model's indicators "
                            "(%(codes)s), a colon and a number."
                        )
                        % {"n": number, "codes": ", ".join(known) or "-"}
                    ]
                }
            )
        values[code] = str(amount)
    return values


def evaluation_findings(
    *, model: ContractingModel, indicators: dict, satisfaction, cost_per_unit, planned_cost_per_unit
) -> list[str]:
    """Why an evaluation is not positive (empty: positive). Positive when every
    indicator of the model reaches its target, satisfaction reaches the model's least
    value, and the cost per unit is at most the plan plus the model's tolerance."""
    findings = []
    for row in model.indicator_rows():
        value = indicators.get(row["code"])
        if value is None or Decimal(value) < row["target"]:
            findings.append(
                _("Indicator “%(name)s”: %(value)s, target %(target)s.")
                % {"name": row["name"], "value": value or "-", "target": row["target"]}
            )
    if satisfaction < model.min_satisfaction:
        findings.append(
            _("Satisfaction %(value)s is below %(least)s.")
            % {"value": satisfaction, "least": model.min_satisfaction}
        )
    ceiling = cents(planned_cost_per_unit * (1 + model.cost_tolerance))
    if cost_per_unit > ceiling:
        findings.append(
            _(
                "Cost per unit %(cost)s exceeds the plan %(plan)s by more than allowed "
                "(%(ceiling)s)."
            )
            % {"cost": cost_per_unit, "plan": planned_cost_per_unit, "ceiling": ceiling}
        )
    return findings


def pilot_evaluate(
    *, task: Task, actor: User, indicators: str, satisfaction, actual_units, actual_cost
) -> Pilot:
    """Inside ``evaluate_pilot``: record the evaluation and whether it is positive."""
    pilot = task.pilots.select_for_update().order_by("-pk").first()
    model = task.model
    values = _indicators_parse(indicators, {row["code"]: row for row in model.indicator_rows()})
    cost_per_unit = cents(actual_cost / actual_units)
    findings = evaluation_findings(
        model=model,
        indicators=values,
        satisfaction=satisfaction,
        cost_per_unit=cost_per_unit,
        planned_cost_per_unit=pilot.planned_cost_per_unit,
    )
    pilot.indicators = values
    pilot.satisfaction = satisfaction
    pilot.actual_units = actual_units
    pilot.actual_cost = actual_cost
    pilot.cost_per_unit = cost_per_unit
    pilot.positive = not findings
    pilot.findings = findings
    pilot.evaluated_by = actor
    pilot.evaluated_at = timezone.now()
    fields = [
        "indicators",
        "satisfaction",
        "actual_units",
        "actual_cost",
        "cost_per_unit",
        "positive",
        "findings",
    ]
    pilot.save(update_fields=[*fields, "evaluated_by", "evaluated_at"])
    audit_record(obj=task, actor=actor, action="pilot_evaluate", after=snapshot(pilot, fields))
    return pilot


@transaction.atomic
def analysis_create(
    *, task: Task, actor: User, weights: dict, volunteer_rate: Decimal, options: list[dict]
) -> EfficiencyAnalysis:
    """Save an analysis with its options and the figures computed from them."""
    _official(actor, task.organisation_id)
    if not options:
        raise InvalidInput(_("Add at least one option to the analysis."))
    inputs = [
        OptionInput(**{k: o[k] for k in OPTION_INPUTS if k not in ("kind", "risks")})
        for o in options
    ]
    try:
        figures = figures_compute(inputs, volunteer_rate=volunteer_rate, **weights)
    except (ValueError, ArithmeticError) as exc:
        raise InvalidInput(
            field_errors={"weight_cost": [_("The weights must add up to more than zero.")]}
        ) from exc
    analysis = EfficiencyAnalysis.objects.create(
        task=task,
        organisation_id=task.organisation_id,
        volunteer_rate=volunteer_rate,
        created_by=actor,
        **weights,
    )
    AnalysisOption.objects.bulk_create(
        AnalysisOption(
            analysis=analysis,
            position=position,
            **{k: option.get(k, "") if k == "risks" else option[k] for k in OPTION_INPUTS},
            **{k: getattr(figure, k) for k in OPTION_FIGURES},
        )
        for position, (option, figure) in enumerate(zip(options, figures, strict=True), start=1)
    )
    audit_record(
        obj=analysis,
        actor=actor,
        action="analysis_create",
        after={
            **snapshot(analysis, ["volunteer_rate", "weight_cost", "weight_social", "weight_risk"]),
            "options": [
                snapshot(o, OPTION_INPUTS + OPTION_FIGURES) for o in analysis.options.all()
            ],
        },
    )
    return analysis


def analysis_decide(*, analysis: EfficiencyAnalysis, actor: User, position: int, note: str) -> None:
    """Inside ``decide``: the chosen option and why."""
    chosen = analysis.options.filter(position=position).first()
    if chosen is None:
        raise InvalidInput(field_errors={"option": [_("There is no option with this number.")]})
    analysis.chosen = chosen
    analysis.decision_note = note
    analysis.decided_at = timezone.now()


@transaction.atomic
def analysis_link(
    *, analysis: EfficiencyAnalysis, actor: User, call=None, purchase=None, grant_agreement=None
) -> EfficiencyAnalysis:
    """Link the decided analysis to the call, purchase or agreement that follows it."""
    _official(actor, analysis.organisation_id)
    for other in (call, purchase, grant_agreement):
        if (
            other is not None
            and getattr(other, "organisation_id", None) != analysis.organisation_id
        ):
            raise InvalidInput(_("Link only what belongs to the same organisation."))
    fields = ["call", "purchase", "grant_agreement"]
    analysis = EfficiencyAnalysis.objects.select_for_update().get(pk=analysis.pk)
    before = snapshot(analysis, fields)
    analysis.call, analysis.purchase, analysis.grant_agreement = call, purchase, grant_agreement
    analysis.save(update_fields=fields)
    audit_record(
        obj=analysis,
        actor=actor,
        action="analysis_link",
        before=before,
        after=snapshot(analysis, fields),
    )
    return analysis


@transaction.atomic
def analysis_evaluate(
    *,
    analysis: EfficiencyAnalysis,
    actor: User,
    reported_yearly_cost,
    reported_units,
    reported_beneficiaries,
    note: str = "",
) -> AnalysisEvaluation:
    """Record the reported figures to compare with the chosen option's plan."""
    _official(actor, analysis.organisation_id)
    if analysis.chosen_id is None:
        raise InvalidInput(_("Decide the analysis before evaluating it."))
    if reported_units <= 0 or reported_beneficiaries <= 0:
        raise InvalidInput(
            field_errors={"reported_units": [_("Give the units and beneficiaries reported.")]}
        )
    evaluation = AnalysisEvaluation.objects.create(
        analysis=analysis,
        reported_yearly_cost=reported_yearly_cost,
        reported_units=reported_units,
        reported_beneficiaries=reported_beneficiaries,
        note=note,
        recorded_by=actor,
    )
    audit_record(
        obj=analysis,
        actor=actor,
        action="analysis_evaluate",
        after=snapshot(
            evaluation, ["reported_yearly_cost", "reported_units", "reported_beneficiaries"]
        ),
    )
    return evaluation
