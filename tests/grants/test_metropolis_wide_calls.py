"""Metropolis-wide calls (issue #15): the metropolis as grantor, applicants from any
member municipality naming where their initiative takes place, and the pool split
per municipality: 10 000,00 zł as 5 000 (Alfa) / 3 000 (Beta) / 2 000 (Gamma)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Role
from accounts.services import organisation_create
from grants import forms, services
from grants.models import Call, PoolShare
from tests.conftest import NOW
from tests.factories import UserFactory, _nip
from tests.forms_support import form_data
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import GuardRefused, InvalidInput

from .conftest import GrantWorld, api, small_grant_limits_ensure

pytestmark = pytest.mark.django_db

SPLIT = ("5000.00", "3000.00", "2000.00")


def _org(kind, name, short, n, **extra):
    return organisation_create(
        kind=kind,
        name=name,
        short_name=short,
        street="ul. Rynek 1",
        postal_code="40-001",
        city=name.split()[-1],
        nip=_nip(n),
        **extra,
    )


class MetroGrantWorld(GrantWorld):
    """``GrantWorld`` with a metropolis as the grantor: three member municipalities
    (Alfa, Beta, Gamma), an outsider (Obca), and a metropolis-wide call split by them."""

    def __init__(self):
        self.now = NOW
        self.organisation = _org("metropolis", "Metropolia Próbna", "MP", 700)
        self.alfa = _org("municipality", "Gmina Alfa", "GA", 701, metropolis=self.organisation)
        self.beta = _org("municipality", "Gmina Beta", "GB", 702, metropolis=self.organisation)
        self.gamma = _org("municipality", "Gmina Gamma", "GG", 703, metropolis=self.organisation)
        self.outsider = _org("municipality", "Gmina Obca", "GO", 704)
        self.official = self.member(Role.OFFICIAL)
        self.evaluators = [self.member(Role.EVALUATOR), self.member(Role.EVALUATOR)]
        self.finance = self.member(Role.FINANCE)
        self.resident = UserFactory(email="mieszkaniec@example.org")
        self.call = self.make_call(
            metropolis_wide=True,
            pool_shares=[
                {"municipality": m, "amount": Decimal(a)}
                for m, a in zip(self.members, SPLIT, strict=True)
            ],
        )

    @property
    def members(self):
        return [self.alfa, self.beta, self.gamma]

    def draft(self, applicant=None, call=None, municipality=None):
        application = super().draft(applicant=applicant, call=call)
        if municipality is not None:
            application = services.application_save_draft(
                application=application,
                actor=application.applicant,
                fields={"municipality": municipality.pk},
            )
        return application


@pytest.fixture
def metro(db, frozen_now):
    small_grant_limits_ensure()
    return MetroGrantWorld()


def approve(world, application, amount):
    return transition_apply(
        obj=application,
        name="approve",
        actor=world.official,
        payload={"amount": amount, "justification": "W ramach udziału gminy."},
    )


def test_the_call_keeps_its_split_and_its_audit(metro):
    shares = [(s.municipality.name, s.amount) for s in PoolShare.objects.filter(call=metro.call)]
    assert shares == [
        ("Gmina Alfa", Decimal("5000.00")),
        ("Gmina Beta", Decimal("3000.00")),
        ("Gmina Gamma", Decimal("2000.00")),
    ]
    entry = audit_entries_for(metro.call).get(action="call_pool_split")
    assert (entry.actor, entry.before, entry.after) == (
        metro.official,
        {"pool_shares": {}},
        {
            "pool_shares": {
                "Gmina Alfa": "5000.00",
                "Gmina Beta": "3000.00",
                "Gmina Gamma": "2000.00",
            }
        },
    )


def test_an_award_over_a_municipalitys_share_is_refused_and_fits_in_another(metro):
    first_beta = metro.evaluated(applicant=UserFactory(), municipality=metro.beta)
    second_beta = metro.evaluated(applicant=UserFactory(), municipality=metro.beta)
    alfa = metro.evaluated(applicant=UserFactory(), municipality=metro.alfa)
    assert approve(metro, first_beta, "2000.00").state == "budget_revision"

    with pytest.raises(GuardRefused) as refused:
        approve(metro, second_beta, "1500.00")

    assert str(refused.value) == (
        "Gmina Beta: z udziału w puli 3 000,00 zł zostało 1 000,00 zł; "
        "kwota 1 500,00 zł się nie mieści."
    )
    second_beta.refresh_from_db()
    assert (second_beta.state, second_beta.approved_amount) == ("evaluated", None)
    # The same amount in Alfa (5 000,00 zł, nothing spent) fits; Beta's last 1 000 too.
    assert approve(metro, alfa, "1500.00").state == "budget_revision"
    assert approve(metro, second_beta, "1000.00").state == "budget_revision"
    assert services.pool_committed(metro.call) == Decimal("4500.00")


def test_the_proposals_stay_within_each_municipalitys_share(metro):
    # Gamma's share is 2 000,00 zł: the best application there gets 2 000 of its 3 000,
    # the second nothing; Beta's two get 3 000 and nothing; Alfa's one its 3 000.
    gamma_best = metro.evaluated(
        applicant=UserFactory(), municipality=metro.gamma, points=((10, 20), (10, 20))
    )
    gamma_next = metro.evaluated(
        applicant=UserFactory(), municipality=metro.gamma, points=((10, 19), (10, 19))
    )
    beta_best = metro.evaluated(
        applicant=UserFactory(), municipality=metro.beta, points=((9, 19), (9, 19))
    )
    beta_next = metro.evaluated(
        applicant=UserFactory(), municipality=metro.beta, points=((9, 18), (9, 18))
    )
    alfa = metro.evaluated(
        applicant=UserFactory(), municipality=metro.alfa, points=((8, 15), (8, 15))
    )

    proposals = [(a.pk, amount) for a, amount in services.award_proposals(metro.call)]

    assert proposals == [
        (gamma_best.pk, Decimal("2000.00")),
        (beta_best.pk, Decimal("3000.00")),
        (alfa.pk, Decimal("3000.00")),
    ]
    assert {gamma_next.pk, beta_next.pk}.isdisjoint(pk for pk, _ in proposals)


def test_the_split_must_add_up_to_the_pool(metro):
    with pytest.raises(InvalidInput) as refused:
        services.call_update(
            call=metro.call,
            actor=metro.official,
            pool_shares=[
                {"municipality": metro.alfa, "amount": Decimal("5000.00")},
                {"municipality": metro.beta, "amount": Decimal("3000.00")},
            ],
        )

    assert refused.value.field_errors == {
        "pool_shares": ["Udziały gmin (8 000,00 zł) muszą sumować się do puli (10 000,00 zł)."]
    }
    assert PoolShare.objects.filter(call=metro.call).count() == 3
    # A larger pool with the split left as it was breaks the sum as well.
    with pytest.raises(InvalidInput) as refused:
        services.call_update(call=metro.call, actor=metro.official, pool=Decimal("12000.00"))
    assert refused.value.field_errors == {
        "pool_shares": ["Udziały gmin (10 000,00 zł) muszą sumować się do puli (12 000,00 zł)."]
    }


def test_a_non_member_municipality_is_refused_in_the_split_and_on_the_application(metro):
    with pytest.raises(InvalidInput) as refused:
        services.call_update(
            call=metro.call,
            actor=metro.official,
            pool_shares=[
                {"municipality": metro.alfa, "amount": Decimal("5000.00")},
                {"municipality": metro.outsider, "amount": Decimal("5000.00")},
            ],
        )
    assert refused.value.field_errors == {
        "pool_shares[1].municipality": ["Wybierz jedną z gmin członkowskich metropolii."]
    }

    draft = metro.draft(municipality=metro.alfa)
    response = api(metro.resident).patch(
        f"/api/v1/grant-applications/{draft.pk}/",
        {"municipality": metro.outsider.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "municipality": ["Wybierz jedną z gmin członkowskich metropolii."]
    }
    draft.refresh_from_db()
    assert draft.municipality == metro.alfa


def test_an_application_without_its_municipality_cannot_be_submitted(metro):
    draft = metro.draft()

    with pytest.raises(InvalidInput) as refused:
        transition_apply(obj=draft, name="submit", actor=metro.resident)

    assert refused.value.field_errors == {
        "municipality": ["Wskaż gminę członkowską metropolii, w której odbywa się inicjatywa."]
    }
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("draft", "")
    services.application_save_draft(
        application=draft, actor=metro.resident, fields={"municipality": metro.gamma}
    )
    submitted = transition_apply(obj=draft, name="submit", actor=metro.resident)
    assert (submitted.state, submitted.municipality) == ("submitted", metro.gamma)


def test_the_municipality_is_in_the_api_and_on_the_pages(metro):
    application = metro.submitted(municipality=metro.beta)

    body = api(metro.official).get(f"/api/v1/grant-applications/{application.pk}/").json()
    assert (body["municipality"], body["municipality_name"]) == (metro.beta.pk, "Gmina Beta")
    page = _client(metro.official).get(f"/granty/wnioski/{application.pk}/")
    assert "Gmina, w której odbywa się inicjatywa</dt><dd>Gmina Beta</dd>" in page.content.decode()

    draft = metro.draft(applicant=UserFactory())
    form_page = _client(draft.applicant).get(f"/granty/wnioski/{draft.pk}/edycja/")
    html = form_page.content.decode()
    assert 'name="municipality"' in html
    assert [(o.pk, o.name) for o in form_page.context["form"].fields["municipality"].queryset] == [
        (metro.alfa.pk, "Gmina Alfa"),
        (metro.beta.pk, "Gmina Beta"),
        (metro.gamma.pk, "Gmina Gamma"),
    ]


def test_only_a_metropolis_call_is_metropolis_wide_and_others_name_no_municipality(world):
    with pytest.raises(ValidationError) as invalid:
        services.call_update(call=world.call, actor=world.official, metropolis_wide=True)
    assert invalid.value.message_dict == {
        "metropolis_wide": ["Tylko nabór metropolii może być ogólnometropolitalny."]
    }
    draft = world.draft()
    with pytest.raises(InvalidInput) as refused:
        services.application_save_draft(
            application=draft, actor=world.resident, fields={"municipality": world.organisation}
        )
    assert refused.value.field_errors == {
        "municipality": ["Wybierz jedną z gmin członkowskich metropolii."]
    }
    page = _client(world.resident).get(f"/granty/wnioski/{draft.pk}/edycja/")
    assert 'name="municipality"' not in page.content.decode()


# The call's page -------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_data(call: Call, shares) -> dict:
    """The call form's fields as the edit page shows them, and the given share rows."""
    form = forms.CallForm(instance=call, organisations=[call.organisation])
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.datetime):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, list):  # the handlers ticked
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    data.update({"pool_shares-TOTAL_FORMS": str(len(shares)), "pool_shares-INITIAL_FORMS": "0"})
    for i, (municipality, amount) in enumerate(shares):
        data[f"pool_shares-{i}-municipality"] = str(municipality.pk)
        data[f"pool_shares-{i}-amount"] = amount
    return data


def test_the_edit_page_refuses_a_split_off_the_pool_at_the_fields_and_keeps_the_input(metro):
    url = f"/granty/nabory/{metro.call.pk}/edycja/"
    data = _edit_data(
        metro.call,
        [(metro.alfa, "6000.00"), (metro.beta, "3000.00"), (metro.outsider, "1000.00")],
    )
    data["title"] = "Fundusz metropolitalny 2026"

    response = _client(metro.official).post(url, data)

    assert response.status_code == 200
    formset = response.context["formsets"]["pool_shares"]
    assert formset.forms[2].errors == {
        "municipality": ["Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."]
    }
    html = response.content.decode()
    assert 'value="Fundusz metropolitalny 2026"' in html
    assert 'value="6000.00"' in html

    data.update({"pool_shares-2-municipality": str(metro.gamma.pk), "pool_shares-2-amount": "2000"})
    response = _client(metro.official).post(url, data)

    assert response.status_code == 200
    formset = response.context["formsets"]["pool_shares"]
    assert list(formset.non_form_errors()) == [
        "Udziały gmin (11 000,00 zł) muszą sumować się do puli (10 000,00 zł)."
    ]
    html = response.content.decode()
    assert 'value="Fundusz metropolitalny 2026"' in html
    assert 'value="6000.00"' in html
    metro.call.refresh_from_db()
    assert metro.call.title == "Fundusz sąsiedzki 2026"
    assert [s.amount for s in PoolShare.objects.filter(call=metro.call)] == [
        Decimal(a) for a in SPLIT
    ]


def test_the_edit_page_saves_a_new_split(metro):
    url = f"/granty/nabory/{metro.call.pk}/edycja/"
    data = _edit_data(
        metro.call, [(metro.alfa, "4000.00"), (metro.beta, "4000.00"), (metro.gamma, "2000.00")]
    )

    response = _client(metro.official).post(url, data)

    assert response.status_code == 302
    assert [s.amount for s in PoolShare.objects.filter(call=metro.call)] == [
        Decimal("4000.00"),
        Decimal("4000.00"),
        Decimal("2000.00"),
    ]
    page = _client(metro.official).get(f"/granty/nabory/{metro.call.pk}/").content.decode()
    assert "<li>Gmina Beta: 4 000,00 zł</li>" in page
    # An emptied row drops its share (the pool is now split in two).
    data = _edit_data(metro.call, [(metro.alfa, "6000.00"), (metro.beta, "4000.00")])
    data.update({"pool_shares-TOTAL_FORMS": "3", "pool_shares-2-municipality": ""})
    data["pool_shares-2-amount"] = ""
    assert _client(metro.official).post(url, data).status_code == 302
    assert [(s.municipality, s.amount) for s in PoolShare.objects.filter(call=metro.call)] == [
        (metro.alfa, Decimal("6000.00")),
        (metro.beta, Decimal("4000.00")),
    ]
    assert audit_entries_for(metro.call).filter(action="call_pool_split").count() == 3


def test_the_api_shows_and_checks_the_split(metro):
    client = api(metro.official)
    url = f"/api/v1/grant-calls/{metro.call.pk}/"
    body = client.get(url).json()
    assert (body["metropolis_wide"], body["pool_shares"]) == (
        True,
        [
            {"municipality": metro.alfa.pk, "amount": "5000.00"},
            {"municipality": metro.beta.pk, "amount": "3000.00"},
            {"municipality": metro.gamma.pk, "amount": "2000.00"},
        ],
    )

    response = client.patch(
        url,
        {"pool_shares": [{"municipality": metro.alfa.pk, "amount": "9000.00"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "pool_shares": ["Udziały gmin (9 000,00 zł) muszą sumować się do puli (10 000,00 zł)."]
    }


def test_only_a_metropolis_wide_calls_pool_is_split(metro):
    with pytest.raises(InvalidInput) as refused:
        services.call_update(call=metro.call, actor=metro.official, metropolis_wide=False)

    assert refused.value.field_errors == {
        "pool_shares": ["Między gminy można podzielić tylko pulę naboru ogólnometropolitalnego."]
    }
    call = services.call_update(
        call=metro.call, actor=metro.official, metropolis_wide=False, pool_shares=[]
    )
    assert (call.metropolis_wide, call.pool_shares.count()) == (False, 0)


def test_the_application_page_asks_for_the_municipality_and_keeps_the_input(metro):
    draft = metro.draft()
    client = _client(metro.resident)
    url = f"/granty/wnioski/{draft.pk}/edycja/"
    data = form_data(client.get(url).content.decode())
    data.update(
        {"title": "Ogród metropolitalny", "municipality": str(metro.outsider.pk), "save": "1"}
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == [
        "Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."
    ]
    assert 'value="Ogród metropolitalny"' in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.municipality) == ("Ogród metropolitalny", None)

    data = {**form_data(response.content.decode()), "municipality": "", "submit": "1"}
    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == [
        "Wskaż gminę członkowską metropolii, w której odbywa się inicjatywa."
    ]
    draft.refresh_from_db()
    assert (draft.state, draft.title) == ("draft", "Ogród metropolitalny")

    data = {**form_data(response.content.decode()), "municipality": str(metro.alfa.pk)}
    response = client.post(url, {**data, "submit": "1"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.municipality) == ("submitted", metro.alfa)
