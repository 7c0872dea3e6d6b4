"""Context builders of the contracting documents (plain values, built in the
transition's transaction and rendered after the commit)."""

from django.utils import timezone

from .models import EfficiencyAnalysis


def option_row(option) -> dict:
    from django.utils import translation

    with translation.override("pl"):
        label = str(option.get_kind_display())
    return {
        "position": option.position,
        "label": label,
        "yearly_cost": option.yearly_cost,
        "years": option.years,
        "total_cost": option.total_cost,
        "cost_per_unit": option.cost_per_unit,
        "cost_per_beneficiary": option.cost_per_beneficiary,
        "volunteer_hours": option.volunteer_hours,
        "own_contribution": option.own_contribution,
        "local_partners": option.local_partners,
        "participation": option.participation,
        "social_value": option.social_value,
        "risk_level": option.risk_level,
        "risks": option.risks,
        "cost_score": option.cost_score,
        "social_score": option.social_score,
        "risk_score": option.risk_score,
        "weighted_score": option.weighted_score,
    }


def decision_note(analysis: EfficiencyAnalysis) -> dict:
    """The decision note (notatka decyzyjna) of an efficiency analysis: the task, the
    weights, every option's figures and scores, the choice and its justification."""
    task = analysis.task
    options = list(analysis.options.all())
    return {
        "document_title": "Notatka decyzyjna – analiza efektywności",
        "document_number": f"AE/{analysis.pk}/{timezone.localdate(analysis.decided_at).year}",
        "document_subject": task.title,
        "task": {
            "title": task.title,
            "beneficiaries": task.beneficiaries,
            "unit": task.unit,
            "units_per_year": task.units_per_year,
            "beneficiaries_per_year": task.beneficiaries_per_year,
            "years": task.years,
            "area": task.area.name_pl,
            "model": task.model.name_pl,
        },
        "weights": {
            "cost": analysis.weight_cost,
            "social": analysis.weight_social,
            "risk": analysis.weight_risk,
        },
        "volunteer_rate": analysis.volunteer_rate,
        "options": [option_row(o) for o in options],
        "chosen": analysis.chosen.position if analysis.chosen else None,
        "recommended": max(options, key=lambda o: (o.weighted_score, -o.position)).position,
        "justification": analysis.decision_note,
        "decided_on": timezone.localdate(analysis.decided_at),
    }
