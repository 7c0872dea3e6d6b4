"""Acceptance #15.4 (practices): a settled initiative published as a good practice
appears in the public catalogue, is found by a word of its description in an
inflected Polish form, holds no personal data; the filters, the stable link, the
refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metropolis.models import Form, GoodPractice
from metropolis.selectors import practices_search
from metropolis.services import practice_initial, practice_publish
from metropolis.stemming import stem
from workflows.errors import Conflict, NotPermitted
from workflows.models import AuditEntry

from .conftest import PERSONAL


def png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "green").save(buffer, "PNG")
    return buffer.getvalue()


def _fields(metro, **overrides):
    fields = practice_initial(metro.agreement_settled)
    fields.update(
        area=metro.area_a,
        consent_note="Pisemna zgoda grupy z 2 listopada 2026 r. w aktach sprawy.",
        consent_given_on=datetime.date(2026, 11, 2),
        model_used="grupa nieformalna z organizacją patronacką",
    )
    fields.update(overrides)
    return fields


def _publish(metro, **overrides):
    return practice_publish(
        agreement=metro.agreement_settled,
        actor=metro.official[metro.alfa.pk],
        fields=_fields(metro, **overrides),
    )


def test_the_stemmer_meets_inflected_forms():
    assert {stem(w) for w in ("warsztaty", "warsztatów", "warsztatach", "Warsztatami")} == {
        "warsztat"
    }
    assert {stem(w) for w in ("seniorzy", "seniorów", "seniorami", "senior")} == {"senior"}
    assert stem("ogrodzie") == stem("ogród") == "ogrod"


def test_the_initial_texts_come_without_personal_data(metro):
    fields = practice_initial(metro.agreement_settled)
    assert fields["what_was_done"] == (
        "Cykl warsztatów dla seniorów prowadzony przez [dane usunięte] "
        "([dane usunięte], tel. [dane usunięte])."
    )
    assert fields["results"] == "Warsztaty: planowano 6 spotkania, osiągnięto 7"
    assert fields["cost"] == Decimal("3300.00")
    assert fields["sources"] == "dotacja 3 000,00 zł; wkład własny 0,00 zł"
    assert fields["form"] == Form.NEIGHBOURHOOD_FUND


def test_a_published_practice_is_found_by_an_inflected_word_and_names_no_one(client, metro):
    practice = _publish(
        metro, for_whom="Seniorzy z osiedla; kontakt: Piotr Nowicki, piotr@example.org"
    )
    assert practice.for_whom == "Seniorzy z osiedla; kontakt: [dane usunięte], [dane usunięte]"
    assert list(practices_search(query="warsztatach")) == [practice]
    assert list(practices_search(query="seniorami osiedlu")) == [practice]
    assert list(practices_search(query="SENIORÓW")) == [practice]
    assert list(practices_search(query="rowerowe")) == []

    response = client.get("/dobre-praktyki/", {"q": "warsztatach"})
    text = response.content.decode()
    assert response.status_code == 200
    assert practice.get_absolute_url() in text
    page = client.get(practice.get_absolute_url())
    assert page.status_code == 200
    page_text = page.content.decode()
    assert "Warsztaty dla seniorów" in page_text and "Gmina Alfa" in page_text
    assert "Stały link do tej praktyki:" in page_text and "Dobre praktyki" in text
    for personal in PERSONAL:
        assert personal not in page_text, personal
        assert personal not in text, personal
    entry = AuditEntry.objects.get(action="practice_publish")
    assert entry.after["slug"] == practice.slug == "warsztaty-dla-seniorow"


def test_the_filters_of_the_catalogue(metro):
    practice = _publish(metro)
    assert practice.cost == Decimal("3300.00")
    for filters, found in [
        ({"municipality": metro.alfa}, [practice]),
        ({"municipality": metro.beta}, []),
        ({"area": metro.area_a}, [practice]),
        ({"area": metro.area_b}, []),
        ({"form": Form.NEIGHBOURHOOD_FUND}, [practice]),
        ({"form": Form.MICRO_PURCHASE}, []),
        ({"cost_band": "2000_5000"}, [practice]),
        ({"cost_band": "to_2000"}, []),
        ({"year": 2026}, [practice]),
        ({"year": 2025}, []),
    ]:
        assert list(practices_search(**filters)) == found, filters


def test_the_catalogue_page_filters_and_bad_input_gives_no_500(client, metro):
    _publish(metro)
    ok = client.get("/dobre-praktyki/", {"municipality": metro.alfa.pk, "cost_band": "2000_5000"})
    assert ok.context["page"].paginator.count == 1
    bad = client.get("/dobre-praktyki/", {"year": "dwa", "municipality": "x", "form": "nic"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"year", "municipality", "form"}
    assert bad.context["page"].paginator.count == 1  # the filters that failed are not applied
    assert client.get("/dobre-praktyki/nie-ma-takiej/").status_code == 404


def test_the_catalogue_s_queries_do_not_grow(client, metro, django_assert_num_queries):
    _publish(metro)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/dobre-praktyki/")
    for i in range(3):
        GoodPractice.objects.create(
            organisation=metro.beta,
            slug=f"inna-{i}",
            title=f"Inna {i}",
            what_was_done="Coś",
            for_whom="Ktoś",
            results="Wynik",
            cost=Decimal("100.00"),
            sources="dotacja",
            area=metro.area_b,
            form=Form.MICRO_GRANT,
            year=2025,
            consent_note="zgoda",
            consent_given_on=datetime.date(2025, 1, 1),
            published_by=metro.metro_staff,
            published_at=metro.agreement_settled.created_at,
        )
    with django_assert_num_queries(len(one)):
        response = client.get("/dobre-praktyki/")
    assert response.context["page"].paginator.count == 4


def test_only_a_settled_initiative_is_published_once_by_its_own_official(metro):
    with pytest.raises(Conflict, match="Jako dobrą praktykę można opublikować tylko rozliczoną"):
        practice_publish(
            agreement=metro.agreement_running,
            actor=metro.official[metro.alfa.pk],
            fields=_fields(metro),
        )
    with pytest.raises(NotPermitted):
        practice_publish(
            agreement=metro.agreement_settled,
            actor=metro.official[metro.beta.pk],
            fields=_fields(metro),
        )
    _publish(metro)
    with pytest.raises(Conflict, match="jest już opublikowana jako dobra praktyka"):
        _publish(metro)


def test_the_publish_page_keeps_what_was_typed_when_consent_is_missing(client, metro):
    client.force_login(metro.official[metro.alfa.pk])
    url = f"/dobre-praktyki/opublikuj/{metro.agreement_settled.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "[dane usunięte]" in page.content.decode()
    data = {
        "title": "Warsztaty na podwórku",
        "what_was_done": "Sześć warsztatów.",
        "for_whom": "Seniorzy.",
        "results": "7 z 6 spotkań.",
        "cost": "3300.00",
        "sources": "dotacja",
        "form": Form.NEIGHBOURHOOD_FUND,
        "year": "2026",
        "consent_note": "",
        "consent_given_on": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    form = refused.context["form"]
    assert set(form.errors) == {"consent", "consent_note", "consent_given_on"}
    assert form["title"].value() == "Warsztaty na podwórku"
    assert GoodPractice.objects.count() == 0
    photo = SimpleUploadedFile("a.png", png(), content_type="image/png")
    refused = client.post(
        url,
        {
            **data,
            "consent": "on",
            "consent_note": "zgoda",
            "consent_given_on": "2026-11-02",
            "photo": photo,
            "photo_caption": "Uczestnicy",
        },
    )
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"people_consented"}
    photo = SimpleUploadedFile("a.png", png(), content_type="image/png")
    done = client.post(
        url,
        {
            **data,
            "consent": "on",
            "consent_note": "zgoda",
            "consent_given_on": "2026-11-02",
            "photo": photo,
            "photo_caption": "Uczestnicy",
            "people_consented": "on",
        },
    )
    practice = GoodPractice.objects.get()
    assert done.status_code == 302 and done["Location"] == "/dobre-praktyki/warsztaty-na-podworku/"
    (photo,) = practice.photos.all()
    image = client.get(f"/dobre-praktyki/{practice.slug}/zdjecia/{photo.pk}/")
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == png()


def test_another_municipality_s_official_cannot_open_the_publish_page(client, metro):
    client.force_login(metro.official[metro.beta.pk])
    assert client.get(f"/dobre-praktyki/opublikuj/{metro.agreement_settled.pk}/").status_code == 404
    assert client.get("/dobre-praktyki/do-opublikowania/").status_code == 200
    client.force_login(metro.official[metro.alfa.pk])
    listing = client.get("/dobre-praktyki/do-opublikowania/")
    assert list(listing.context["agreements"]) == [metro.agreement_settled]


def test_an_accepted_micro_purchase_is_published_without_the_supplier_s_name(client, metro):
    from metropolis.services import purchase_initial

    fields = purchase_initial(metro.paid)
    assert fields["form"] == Form.MICRO_PURCHASE
    assert fields["cost"] == Decimal("12300.00")
    assert fields["sources"] == "budżet gminy (netto 10 000,00 zł)"
    fields.update(
        what_was_done="Zajęcia prowadził Jan Nowak (jan.nowak@example.org), "
        "emerytowany nauczyciel.",
        for_whom="Seniorzy",
        results="10 zajęć",
        consent_note="Zgoda wykonawcy z 1 sierpnia 2026 r.",
        consent_given_on=datetime.date(2026, 8, 1),
    )
    practice = practice_publish(
        purchase=metro.paid, actor=metro.official[metro.alfa.pk], fields=fields
    )
    assert practice.what_was_done == (
        "Zajęcia prowadził [dane usunięte] ([dane usunięte]), emerytowany nauczyciel."
    )
    assert list(practices_search(form=Form.MICRO_PURCHASE, query="zajęciach")) == [practice]
    with pytest.raises(Conflict, match="zaakceptowano"):
        practice_publish(purchase=metro.running, actor=metro.official[metro.beta.pk], fields=fields)
    client.force_login(metro.official[metro.beta.pk])
    assert client.get(f"/dobre-praktyki/opublikuj-zakup/{metro.paid.pk}/").status_code == 404
    client.force_login(metro.official[metro.alfa.pk])
    listing = client.get("/dobre-praktyki/do-opublikowania/")
    assert list(listing.context["purchases"]) == []  # already published
