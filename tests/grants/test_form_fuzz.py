"""The grant forms (call, application, final report) fuzzed with what users may type:
never a server error, a refusal says why, and a refused post changes nothing."""

import pytest
from django.forms.models import model_to_dict

from grants.models import Application, Call, Report
from tests.fuzz import fuzz_form, page_client

from .test_application_page import page_post

pytestmark = pytest.mark.django_db

CALL = {
    "organisation": None,
    "procedure": "neighbourhood_fund",
    "code": "FS9",
    "title": "Zielone podwórka",
    "year": "2026",
    "pool": "50000.00",
    "min_grant": "500.00",
    "max_grant": "8000.00",
    "min_own_share": "0.1",
    "min_own_money_share": "0",
    "allows_informal_group": "on",
    "min_group_size": "3",
    "max_duration_days": "60",
    "opens_at": "2026-12-01T08:00",
    "closes_at": "2026-12-31T23:59",
    "evaluators_per_application": "2",
    "score_gap": "10",
    "min_average_score": "12",
    "tie_break": "earlier_submission",
    "report_deadline_days": "30",
    "budget_shift_tolerance": "0.1",
    "correction_days": "7",
    "comment_period_days": "7",
    "criteria-TOTAL_FORMS": "1",
    "criteria-INITIAL_FORMS": "0",
    "criteria-0-name": "Wpływ na sąsiedztwo",
    "criteria-0-max_points": "10",
    "categories-TOTAL_FORMS": "1",
    "categories-INITIAL_FORMS": "0",
    "categories-0-name": "Materiały",
    "categories-0-cap_share": "0.5",
    "checklist-TOTAL_FORMS": "1",
    "checklist-INITIAL_FORMS": "0",
    "checklist-0-text": "Wniosek podpisany",
}


def calls_snapshot():
    return [
        (model_to_dict(c), list(c.criteria.values()), list(c.cost_categories.values()))
        for c in Call.objects.order_by("pk")
    ]


def test_the_call_form_never_fails_on_what_an_official_types(world):
    base = {**CALL, "organisation": str(world.organisation.pk)}
    problems = fuzz_form(
        page_client(world.official),
        "/granty/nabory/nowy/",
        base,
        snapshot=lambda: [(d["id"], d["code"], d["pool"]) for d, *_ in calls_snapshot()],
    )
    edited = fuzz_form(
        page_client(world.official),
        f"/granty/nabory/{world.call.pk}/edycja/",
        {k: v for k, v in base.items() if "-" not in k and k != "organisation"},
        snapshot=lambda: model_to_dict(Call.objects.get(pk=world.call.pk)),
    )

    assert problems == [], problems
    assert edited == []


def application_snapshot(pk):
    application = Application.objects.get(pk=pk)
    return (
        model_to_dict(application),
        # The rows as typed: a save rewrites them (new ids), and a refused field no
        # longer keeps the valid ones from being saved (#12).
        [
            [
                {k: v for k, v in row.items() if k != "id"}
                for row in getattr(application, name).values()
            ]
            for name in ("members", "activities", "indicators", "budget_lines")
        ],
    )


def test_the_application_form_never_fails_on_what_a_resident_types(world):
    application = world.draft()
    base = page_post(world, application)
    del base["submit"]  # save the draft: each accepted value is saved, each refused kept out
    # The main fields, the management forms and one row of each list (the others are alike).
    fields = [k for k in base if "-" not in k or "-0-" in k or k.endswith("TOTAL_FORMS")]

    problems = fuzz_form(
        page_client(world.resident),
        f"/granty/wnioski/{application.pk}/edycja/",
        base,
        fields=fields,
        # A refusal saves every other field typed well (#12), so what it changes is the
        # rest of the post, not the refused value: that is shown field by field by
        # tests/grants/test_application_page.py (a shape error keeps what was typed and
        # saves every valid field); here no answer may fail or lack a message.
        snapshot=lambda: None,
    )

    assert problems == [], problems
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_a_refused_submit_with_garbage_never_fails_either(world):
    """The submit button runs the call's rules after the draft is saved: the rules must
    not trip over a value the draft accepted."""
    application = world.draft()
    members = world.draft_payload()["members"][:2]  # too few: every submit is refused
    base = page_post(world, application, members=members)
    fields = ["title", "volunteer_hours", "volunteer_rate", "lines-0-quantity", "end_date"]

    problems = fuzz_form(
        page_client(world.resident),
        f"/granty/wnioski/{application.pk}/edycja/",
        base,
        fields=fields,
        snapshot=lambda: Application.objects.get(pk=application.pk).state,
    )

    assert problems == [], problems


def test_the_report_form_never_fails_on_what_a_grantee_types(world):
    agreement = world.agreement_in_implementation()
    application = agreement.application
    line = application.budget_lines.first()
    indicator = application.indicators.get()
    base = {
        "narrative": "Ogród założony.",
        "volunteer_hours": "22",
        f"achieved_{indicator.pk}": "5",
        "expenses-TOTAL_FORMS": "1",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-document_number": "FV 1/2026",
        "expenses-0-document_date": "2026-12-03",
        "expenses-0-issuer": "Szkółka",
        "expenses-0-purpose": "Sadzonki",
        "expenses-0-budget_line": str(line.pk),
        "expenses-0-amount": "2700.00",
        "expenses-0-from_grant": "2700.00",
    }

    def snapshot():
        report = Report.objects.filter(agreement=agreement).first()
        indicator.refresh_from_db()
        if report is None:
            return None, indicator.achieved
        return model_to_dict(report), list(report.expenses.values()), indicator.achieved

    problems = fuzz_form(
        page_client(world.resident),
        f"/granty/umowy/{agreement.pk}/sprawozdanie/",
        base,
        snapshot=snapshot,
    )

    assert problems == [], problems


def test_a_post_too_large_to_read_is_a_400_that_says_nothing_was_saved(world):
    application = world.draft()
    base = page_post(world, application)
    base.update({name: "Ż" * 400_000 for name in ("summary", "goals", "beneficiaries", "place")})

    response = page_client(world.resident).post(f"/granty/wnioski/{application.pk}/edycja/", base)

    assert response.status_code == 400
    assert (
        "Przesłane dane były zbyt duże lub uszkodzone i niczego nie zapisano. Wróć, skróć "
        "wpisany tekst i wyślij go ponownie."
    ) in response.content.decode()
    assert Application.objects.get(pk=application.pk).summary == "Zakładamy wspólny ogród."
