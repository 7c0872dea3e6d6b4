"""The three models of the Podlaskie project (Quality, Efficiency, Cooperation) as the
default presets, and the maximum term of a public-task agreement (5 years, art. 16
ust. 2 of the act on public-benefit activity). Both are data: a municipality edits
its presets, and a change of the law is a new term row with its valid_from."""

import datetime

from django.db import migrations


def _items(*pairs):
    return [{"pl": pl, "en": en} for pl, en in pairs]


MODELS = [
    {
        "code": "quality",
        "position": 1,
        "name_pl": "Jakość",
        "name_en": "Quality",
        "description_pl": "Standard usługi z mierzalnymi wskaźnikami jakości i ich monitoringiem.",
        "description_en": "A service standard with measurable quality indicators and their monitoring.",
        "steps": _items(
            ("Opis standardu usługi", "Describe the service standard"),
            ("Ustalenie wskaźników jakości i ich wartości docelowych", "Set quality indicators and their targets"),
            ("Pilotaż i jego ocena", "Pilot and its evaluation"),
            ("Umowa wieloletnia z monitoringiem wskaźników", "Multi-year agreement with indicator monitoring"),
            ("Coroczny przegląd jakości", "Yearly quality review"),
        ),
        "documents": _items(
            ("Standard usługi", "Service standard"),
            ("Karta wskaźników jakości", "Quality indicator sheet"),
            ("Ankieta satysfakcji odbiorców", "Beneficiary satisfaction survey"),
            ("Raport z monitoringu", "Monitoring report"),
        ),
        "indicators": [
            {"code": "standard", "pl": "Zgodność ze standardem (%)", "en": "Compliance with the standard (%)", "unit": "%", "target": "90"},
            {"code": "retention", "pl": "Odbiorcy, którzy ukończyli usługę (%)", "en": "Beneficiaries who completed the service (%)", "unit": "%", "target": "80"},
        ],
        "weights": ("30", "30", "40"),
    },
    {
        "code": "efficiency",
        "position": 2,
        "name_pl": "Efektywność",
        "name_en": "Efficiency",
        "description_pl": "Koszt jednostkowy usługi i analiza efektywności przed zleceniem i po nim.",
        "description_en": "Unit cost of the service and an efficiency analysis before and after.",
        "steps": _items(
            ("Kalkulacja kosztu jednostkowego", "Compute the unit cost"),
            ("Analiza efektywności form realizacji", "Efficiency analysis of the options"),
            ("Decyzja o formie zlecenia", "Decide the form of contracting"),
            ("Umowa wieloletnia", "Multi-year agreement"),
            ("Ocena efektywności po realizacji", "Efficiency evaluation afterwards"),
        ),
        "documents": _items(
            ("Kalkulacja kosztu jednostkowego", "Unit cost calculation"),
            ("Notatka decyzyjna z analizy efektywności", "Decision note of the efficiency analysis"),
            ("Ocena efektywności", "Efficiency evaluation"),
        ),
        "indicators": [
            {"code": "units", "pl": "Zrealizowane jednostki usługi (% planu)", "en": "Units delivered (% of plan)", "unit": "%", "target": "95"},
        ],
        "weights": ("60", "20", "20"),
    },
    {
        "code": "cooperation",
        "position": 3,
        "name_pl": "Współpraca",
        "name_en": "Cooperation",
        "description_pl": "Wspólne planowanie z organizacjami sfery, umowa o współpracy i przegląd partnerstwa.",
        "description_en": "Joint planning with the NGOs of the area, a cooperation agreement and a partnership review.",
        "steps": _items(
            ("Wspólne planowanie z organizacjami sfery", "Joint planning with the area's NGOs"),
            ("Umowa o współpracy", "Cooperation agreement"),
            ("Pilotaż i jego ocena", "Pilot and its evaluation"),
            ("Umowa wieloletnia", "Multi-year agreement"),
            ("Przegląd partnerstwa", "Partnership review"),
        ),
        "documents": _items(
            ("Protokół ze spotkania planistycznego", "Minutes of the planning meeting"),
            ("Umowa o współpracy", "Cooperation agreement"),
            ("Raport z przeglądu partnerstwa", "Partnership review report"),
        ),
        "indicators": [
            {"code": "partners", "pl": "Organizacje zaangażowane w planowanie", "en": "Organisations involved in planning", "unit": "", "target": "3"},
        ],
        "weights": ("30", "50", "20"),
    },
]

LEGAL_BASIS = (
    "art. 16 ust. 2 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego "
    "i o wolontariacie"
)


def seed(apps, schema_editor):
    ContractingModel = apps.get_model("contracting", "ContractingModel")
    for data in MODELS:
        data = dict(data)
        cost, social, risk = data.pop("weights")
        ContractingModel.objects.get_or_create(
            organisation=None,
            code=data.pop("code"),
            defaults={**data, "weight_cost": cost, "weight_social": social, "weight_risk": risk},
        )
    apps.get_model("contracting", "AgreementTermLimit").objects.get_or_create(
        valid_from=datetime.date(2003, 6, 29), defaults={"max_years": 5, "legal_basis": LEGAL_BASIS}
    )


def unseed(apps, schema_editor):
    apps.get_model("contracting", "ContractingModel").objects.filter(
        organisation=None, code__in=[m["code"] for m in MODELS]
    ).delete()
    apps.get_model("contracting", "AgreementTermLimit").objects.filter(
        valid_from=datetime.date(2003, 6, 29)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contracting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
