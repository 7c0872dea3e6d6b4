"""Reads of the contracting process, scoped to the user's organisations."""

from decimal import Decimal

from django.core import signing
from django.db.models import Q, QuerySet, Sum

from accounts.models import Role
from accounts.permissions import organisation_ids_with

from .models import AgreementYear, ContractingModel, EfficiencyAnalysis, MultiYearAgreement, Task
from .scoring import cents
from .workflow import COMMITTED_STATES

SURVEY_SALT = "contracting.survey"
STAFF = (Role.OFFICIAL, Role.FINANCE, Role.ORG_ADMIN)


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(organisation_id__in=organisation_ids_with(user, *STAFF))


def analyses_visible_to(user) -> QuerySet[EfficiencyAnalysis]:
    return EfficiencyAnalysis.objects.filter(
        organisation_id__in=organisation_ids_with(user, *STAFF)
    )


def agreements_visible_to(user) -> QuerySet[MultiYearAgreement]:
    return MultiYearAgreement.objects.filter(
        organisation_id__in=organisation_ids_with(user, *STAFF)
    )


def models_for(organisation_id: int) -> list[ContractingModel]:
    """The presets an organisation plans with: its own, and each default whose code it
    has not replaced."""
    rows = list(
        ContractingModel.objects.filter(
            Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
        )
    )
    own = {m.code for m in rows if m.organisation_id == organisation_id}
    return [m for m in rows if m.organisation_id == organisation_id or m.code not in own]


def forecast(*, organisation_id: int, from_year: int) -> dict[int, Decimal]:
    """The multi-year commitments per budget year from ``from_year`` on (for the
    multi-year financial forecast, WPF): the years of concluded agreements."""
    rows = (
        AgreementYear.objects.filter(
            agreement__organisation_id=organisation_id,
            agreement__state__in=COMMITTED_STATES,
            year__gte=from_year,
        )
        .values_list("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return dict(rows)


def survey_token(row: AgreementYear) -> str:
    return signing.dumps({"year": row.pk}, salt=SURVEY_SALT)


def survey_row(token: str) -> AgreementYear | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT)
    except signing.BadSignature:
        return None
    return (
        AgreementYear.objects.select_related("agreement__task").filter(pk=data.get("year")).first()
    )


def evaluation_comparison(analysis: EfficiencyAnalysis) -> list[dict]:
    """Each later evaluation against the chosen option's plan: yearly cost, cost per
    unit and per beneficiary, planned, reported and the difference."""
    chosen = analysis.chosen
    if chosen is None:
        return []
    result = []
    for evaluation in analysis.evaluations.all():
        reported = {
            "yearly_cost": evaluation.reported_yearly_cost,
            "cost_per_unit": cents(evaluation.reported_yearly_cost / evaluation.reported_units),
            "cost_per_beneficiary": cents(
                evaluation.reported_yearly_cost / evaluation.reported_beneficiaries
            ),
        }
        rows = [
            {
                "name": name,
                "planned": getattr(chosen, name),
                "reported": value,
                "difference": value - getattr(chosen, name),
            }
            for name, value in reported.items()
        ]
        result.append({"evaluation": evaluation, "rows": rows})
    return result
