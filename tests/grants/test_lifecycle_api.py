"""One application from draft to a closed settlement, through the API only, with the
returns and their interest checked to the grosz against hand-computed values."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from documents.models import Document
from tests.conftest import NOW

from .conftest import api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def transition(user, resource, pk, name, **payload):
    response = api(user).post(
        f"/api/v1/{resource}/{pk}/transitions/{name}/", payload, format="json"
    )
    assert response.status_code == 200, (name, response.json())
    return response.json()


def test_application_from_draft_to_closed_settlement(world, mailoutbox, clock):
    resident, official, finance = world.resident, world.official, world.finance

    # The resident drafts and submits.
    created = api(resident).post(
        "/api/v1/grant-applications/",
        {"call": world.call.pk, "kind": "informal_group"},
        format="json",
    )
    assert created.status_code == 201
    app_id = created.json()["id"]
    saved = api(resident).patch(
        f"/api/v1/grant-applications/{app_id}/", world.draft_payload(), format="json"
    )
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert (body["total_cost"], body["requested_amount"], body["own_contribution"]) == (
        "3300.00",
        "3000.00",
        "900.00",
    )
    submitted = transition(resident, "grant-applications", app_id, "submit")
    assert (submitted["state"], submitted["number"]) == ("submitted", "GMP/2026/FS1/0001")
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        (f"czlonek{i}@example.org", "Wniosek GMP/2026/FS1/0001 wpłynął") for i in (1, 2, 3)
    ] + [("mieszkaniec@example.org", "Wniosek GMP/2026/FS1/0001 wpłynął")]
    assert Document.objects.filter(kind="application", object_id=app_id).count() == 1

    # The official checks it formally and assigns the evaluators.
    checklist = list(world.call.checklist.values_list("pk", flat=True))
    response = api(official).post(
        f"/api/v1/grant-applications/{app_id}/formal-check/",
        {"answers": {str(pk): True for pk in checklist}},
        format="json",
    )
    assert response.status_code == 200
    transition(official, "grant-applications", app_id, "pass_formal_check")
    assigned = api(official).post(
        "/api/v1/grant-reviews/assign/",
        {"application": app_id, "evaluators": [e.pk for e in world.evaluators]},
        format="json",
    )
    assert assigned.status_code == 201
    criteria = list(world.call.criteria.values_list("pk", flat=True))

    # Each evaluator declares impartiality, scores and submits.
    for review, evaluator, points in zip(
        assigned.json(), world.evaluators, ((8, 15), (9, 16)), strict=True
    ):
        transition(evaluator, "grant-reviews", review["id"], "declare")
        scored = api(evaluator).post(
            f"/api/v1/grant-reviews/{review['id']}/scores/",
            {
                "scores": [
                    {"criterion": c, "points": p, "justification": "Dobrze opisane."}
                    for c, p in zip(criteria, points, strict=True)
                ]
            },
            format="json",
        )
        assert scored.status_code == 200, scored.json()
        transition(evaluator, "grant-reviews", review["id"], "submit")

    evaluated = api(official).get(f"/api/v1/grant-applications/{app_id}/").json()
    assert (evaluated["state"], evaluated["average_score"]) == ("evaluated", "24.00")
    ranking = api(official).get(f"/api/v1/grant-calls/{world.call.pk}/ranking/").json()
    assert [(r["id"], r["proposed_amount"]) for r in ranking] == [(app_id, "3000.00")]

    approved = transition(
        official, "grant-applications", app_id, "approve", amount="3000.00", justification="Dobry."
    )
    assert (approved["state"], approved["approved_amount"]) == ("approved", "3000.00")

    # The agreement is made, generated, signed; the tranche is paid.
    response = api(official).post(
        "/api/v1/grant-agreements/",
        {
            "application": app_id,
            "spending_deadline": "2026-12-31",
            "tranches": [{"amount": "3000.00", "due_date": "2026-11-26"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert (agreement["number"], agreement["report_deadline"]) == (
        "U/GMP/2026/FS1/0001",
        "2027-01-19",
    )
    agreement_id = agreement["id"]
    transition(official, "grant-agreements", agreement_id, "generate")
    [pdf] = api(resident).get(f"/api/v1/grant-agreements/{agreement_id}/documents/").json()
    download = api(resident).get(pdf["url"])
    assert download.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=b"".join(download.streaming_content),
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = " ".join(text.split())
    assert "3 000,00 zł (słownie: trzy tysiące złotych 00/100)" in words
    # The parties: the grantor with its representative, the group's members.
    assert "Gmina Miasto Próbne, ul. Ratuszowa 1, 00-950 Próbne, NIP 5260250274" in words
    assert "Maria Prezydent – Prezydent Miasta" in words
    assert "grupy nieformalnej „Sąsiedzi z Zielonej”" in words
    assert "1. Członek 1 (lider grupy) 2. Członek 2 3. Członek 3" in words
    # The tranche date and the deadlines.
    assert "1 26 listopada 2026 r. 3 000,00 zł" in words
    assert "do dnia 31 grudnia 2026 r." in words
    assert "do dnia 19 stycznia 2027 r." in words
    assert "w okresie od 1 grudnia 2026 r. do 20 grudnia 2026 r. 2. Celem" in words
    assert "r.." not in words
    # The return of unused money: the period ends with the budget year (art. 251 ust. 1).
    assert "zwraca do dnia 31 stycznia 2027 r. (art. 251" in words
    transition(official, "grant-agreements", agreement_id, "send_for_signature")
    signed = transition(official, "grant-agreements", agreement_id, "sign", signed_on="2026-11-25")
    [tranche] = signed["tranches"]
    clock.move_to(NOW + datetime.timedelta(days=3))  # a date of payment is never ahead of today
    transition(
        finance, "payment-orders", tranche["payment_order"], "mark_paid", paid_on="2026-11-26"
    )
    transition(official, "grant-agreements", agreement_id, "start_implementation")

    # The grantee reports; the official finds 300 zł spent against the purpose.
    lines = [line["id"] for line in approved["budget_lines"]]
    written = api(resident).put(
        f"/api/v1/grant-reports/for-agreement/{agreement_id}/",
        {
            "narrative": "Ogród założony, odbyły się 4 spotkania.",
            "volunteer_hours": "24",
            "expenses": [
                {
                    "document_number": "FV 1/12/2026",
                    "document_date": "2026-12-03",
                    "issuer": "Szkółka Roślin",
                    "purpose": "Sadzonki",
                    "budget_line": lines[0],
                    "amount": "2400.00",
                    "from_grant": "2100.00",
                },
                {
                    "document_number": "R 7/2026",
                    "document_date": "2026-12-18",
                    "issuer": "Biuro Rachunkowe",
                    "purpose": "Księgowość",
                    "budget_line": lines[1],
                    "amount": "300.00",
                    "from_grant": "300.00",
                },
            ],
        },
        format="json",
    )
    assert written.status_code == 200, written.json()
    report = written.json()
    transition(resident, "grant-reports", report["id"], "submit")
    transition(official, "grant-reports", report["id"], "start_review")
    admin_expense = report["expenses"][1]["id"]
    response = api(official).post(
        f"/api/v1/grant-reports/{report['id']}/expenses/{admin_expense}/ineligible/",
        {"reason": "Wydatek poza kosztorysem zadania."},
        format="json",
    )
    assert response.status_code == 200
    transition(official, "grant-reports", report["id"], "accept")

    # Settlement: 600 zł unused (3000 paid - 2400 spent) and 300 zł misused. The
    # spending period ends with the budget year, so the unused money is due on
    # 31 January (art. 251 ust. 1 u.f.p.), with interest from 1 February.
    transition(official, "grant-agreements", agreement_id, "complete")
    settled = transition(
        official, "grant-agreements", agreement_id, "settle", finding_date="2027-01-10"
    )
    returns = {r["kind"]: r for r in settled["returns"]}
    assert {k: (r["amount"], r["deadline"], r["interest_from"]) for k, r in returns.items()} == {
        "unused": ("600.00", "2027-01-31", "2027-02-01"),
        "misused": ("300.00", "2027-01-25", "2026-11-26"),
    }
    clock.move_to(NOW.replace(year=2027, month=2, day=5))  # returns are recorded once made
    for kind, returned_on in (("unused", "2027-02-05"), ("misused", "2027-01-20")):
        response = api(official).post(
            f"/api/v1/grant-agreements/{agreement_id}/returns/{returns[kind]['id']}/record/",
            {"returned_on": returned_on},
            format="json",
        )
        assert response.status_code == 200
    final = api(official).get(f"/api/v1/grant-agreements/{agreement_id}/").json()
    interest = {r["kind"]: r["interest"] for r in final["returns"]}
    # Unused: 600 x 12% x 5 days (1-5 Feb 2027) / 365 = 0.9863 -> 0.99.
    # Misused: 300 x 10% x 36 days (26 Nov-31 Dec 2026) / 365 = 2.9589
    #        + 300 x 12% x 20 days (1-20 Jan 2027) / 365 = 1.9726 -> 4.93.
    assert interest == {"unused": "0.99", "misused": "4.93"}
    assert Decimal(interest["unused"]) + Decimal(interest["misused"]) == Decimal("5.92")

    closed = transition(official, "grant-agreements", agreement_id, "close")
    assert closed["state"] == "closed"
    history = api(official).get(f"/api/v1/grant-agreements/{agreement_id}/history/").json()
    assert [h["transition"] for h in history] == [
        "generate",
        "send_for_signature",
        "sign",
        "start_implementation",
        "complete",
        "settle",
        "close",
    ]
