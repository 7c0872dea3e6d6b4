"""Acceptance #15.4 (programmes): a municipality publishes a call's rules as a
programme; a second municipality starts its own draft call from it with one action;
the programme renders as a PDF "regulamin" that states its rules."""

import subprocess
from decimal import Decimal

import pytest

from areas.models import Area
from grants.models import Call, CostCategory, Criterion
from grants.services.programmes import call_create_from_programme
from grants.workflow import CallState
from metropolis.models import Programme
from metropolis.services import programme_publish
from workflows.errors import InvalidInput, NotPermitted
from workflows.models import AuditEntry


@pytest.fixture
def programme(metro):
    Criterion.objects.create(call=metro.call_a, name="Wartość dla sąsiedztwa", max_points=10)
    CostCategory.objects.create(
        call=metro.call_a, name="Koszty administracyjne", cap_share=Decimal("0.10")
    )
    metro.call_a.checklist.create(text="Grupa liczy co najmniej 3 osoby")
    Call.objects.filter(pk=metro.call_a.pk).update(min_own_share=Decimal("0.10"))
    metro.call_a.refresh_from_db()
    return programme_publish(
        call=metro.call_a,
        actor=metro.official[metro.alfa.pk],
        title="Program mikrowsparć Gminy Alfa",
        description="Mikrogranty dla grup sąsiedzkich.",
        documents="Wniosek\nLista członków grupy",
    )


def test_a_second_municipality_starts_a_draft_call_from_a_published_programme(
    client, metro, programme
):
    assert programme.rules["pool"] == "20000.00"
    assert programme.criteria == [
        {"name": "Wartość dla sąsiedztwa", "description": "", "max_points": 10}
    ]
    client.force_login(metro.official[metro.beta.pk])
    page = client.get(f"/programy/{programme.slug}/")
    assert page.status_code == 200
    assert list(page.context["organisations"]) == [metro.beta]
    response = client.post(
        f"/programy/{programme.slug}/utworz-nabor/", {"organisation": metro.beta.pk}
    )
    call = Call.objects.get(organisation=metro.beta, code="P1")
    assert (
        response.status_code == 302 and response["Location"] == f"/granty/nabory/{call.pk}/edycja/"
    )
    assert call.state == CallState.DRAFT
    assert call.title == "Program mikrowsparć Gminy Alfa"
    assert (call.pool, call.min_grant, call.max_grant) == (
        Decimal("20000.00"),
        Decimal("500.00"),
        Decimal("5000.00"),
    )
    assert call.year == 2026
    assert [c.name for c in call.criteria.all()] == ["Wartość dla sąsiedztwa"]
    assert [(c.name, c.cap_share) for c in call.cost_categories.all()] == [
        ("Koszty administracyjne", Decimal("0.1000"))
    ]
    assert [i.text for i in call.checklist.all()] == ["Grupa liczy co najmniej 3 osoby"]
    entry = AuditEntry.objects.get(action="call_create_from_programme")
    assert entry.after == {"programme": programme.pk, "slug": programme.slug}
    again = call_create_from_programme(
        programme=programme, organisation=metro.beta, actor=metro.official[metro.beta.pk]
    )
    assert again.code == "P2"


def test_only_an_official_of_the_organisation_starts_a_call(client, metro, programme):
    with pytest.raises(NotPermitted):
        call_create_from_programme(
            programme=programme, organisation=metro.beta, actor=metro.official[metro.alfa.pk]
        )
    client.force_login(metro.official[metro.alfa.pk])
    answer = client.post(
        f"/programy/{programme.slug}/utworz-nabor/", {"organisation": metro.beta.pk}
    )
    assert answer.status_code == 404
    client.logout()
    assert client.post(f"/programy/{programme.slug}/utworz-nabor/").status_code == 302
    assert not Call.objects.filter(organisation=metro.beta).exclude(code="FS1").exists()


def test_the_programme_renders_as_a_pdf_regulation_that_states_the_rules(client, programme):
    response = client.get(f"/programy/{programme.slug}/regulamin.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = ["pdftotext", "-", "-"]
    out = subprocess.run(pdftotext, input=response.content, capture_output=True, check=True)
    text = " ".join(out.stdout.decode().split())
    assert "Regulamin: Program mikrowsparć Gminy Alfa Gmina Alfa" in text
    assert "pula środków: 20 000,00 zł; dotacja: 500,00 zł – 5 000,00 zł." in text
    assert "Wkład własny: co najmniej 10,00% kosztów zadania." in text
    assert "• grupy nieformalne co najmniej 3 pełnoletnich mieszkańców" in text
    assert (
        "Zadanie trwa najwyżej 60 dni; sprawozdanie składa się w ciągu 30 dni od jego zakończenia."
        in text
    )
    assert "§ 4. Ocena formalna 1. Grupa liczy co najmniej 3 osoby" in text
    assert "§ 5. Kryteria oceny 1. Wartość dla sąsiedztwa (do 10 pkt)" in text
    assert "§ 6. Kategorie kosztów 1. Koszty administracyjne – najwyżej 10,00% kosztów" in text
    assert "§ 7. Dokumenty 1. Wniosek 2. Lista członków grupy" in text


def test_the_publish_page_refuses_an_empty_title_and_keeps_the_rest(client, metro):
    client.force_login(metro.official[metro.alfa.pk])
    url = f"/programy/opublikuj/{metro.call_a.pk}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"title": "", "description": "Opis", "documents": "Wniosek"})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"title"}
    assert refused.context["form"]["description"].value() == "Opis"
    assert not Programme.objects.exists()
    done = client.post(url, {"title": "Program Alfa", "description": "", "documents": ""})
    assert done.status_code == 302 and done["Location"] == "/programy/program-alfa/"
    with pytest.raises(InvalidInput):
        programme_publish(
            call=metro.call_a,
            actor=metro.official[metro.alfa.pk],
            title=" ",
            description="",
            documents="",
        )
    client.force_login(metro.official[metro.beta.pk])
    assert client.get(url).status_code == 404


def test_the_list_of_programmes(client, programme, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/programy/")
    assert response.status_code == 200
    assert programme.get_absolute_url() in response.content.decode()


def test_a_programme_carries_its_calls_area_while_the_area_is_in_use(metro, programme):
    assert programme.rules["area"] == metro.area_a.code
    beta = metro.official[metro.beta.pk]

    call = call_create_from_programme(programme=programme, organisation=metro.beta, actor=beta)
    Area.objects.filter(pk=metro.area_a.pk).update(active=False)
    without = call_create_from_programme(programme=programme, organisation=metro.beta, actor=beta)

    assert (call.code, call.area) == ("P1", metro.area_a)
    assert (without.code, without.area) == ("P2", None)
