"""Acceptance 2: the splitting guard. Exact refusals, the override, the band picked, a
property-based test over sequences of purchases, cancellations and awards, and ten
concurrent submissions on PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import Role
from purchases import services
from purchases.models import Purchase, ThresholdSetting
from purchases.selectors import aggregate_for
from tests.concurrency import run_concurrently
from tests.factories import OrganisationFactory
from workflows.engine import transition_apply
from workflows.errors import GuardRefused

from .factories import (
    GroupFactory,
    Team,
    bands_create,
    deadline_in,
    expire_deadline,
    purchase_draft,
)

THRESHOLD = Decimal("130000.00")


def zl(text: str) -> str:
    """ "60 000,00 zł", as every amount is written."""
    return text


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def submit(purchase, user):
    return transition_apply(obj=purchase, name="submit", actor=user)


@pytest.mark.django_db
def test_a_submission_at_the_threshold_is_refused_with_the_computation(team, group):
    official = team[Role.OFFICIAL]
    first = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty wiosenne",
        estimated_net=Decimal("60000.00"),
    )
    submit(first, official)
    second = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty jesienne",
        estimated_net=Decimal("70000.00"),
    )

    response = client_for(official).post(
        f"/api/v1/purchases/{second.pk}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 409
    message = (
        f"Łączna wartość netto zamówień tego samego rodzaju w grupie „{group.name}” w roku 2026 "
        f"wyniosłaby {zl('130 000,00 zł')}: {first.number} „Warsztaty wiosenne” "
        f"{zl('60 000,00 zł')} (szacunek) oraz to zamówienie, {zl('70 000,00 zł')}. Osiąga ona "
        f"próg {zl('130 000,00 zł')}, od którego stosuje się ustawę Prawo zamówień publicznych "
        "(art. 2 ust. 1 pkt 1 Pzp). Nie wolno dzielić zamówienia ani zaniżać jego wartości, aby "
        "uniknąć stosowania ustawy (art. 29 Pzp), a zamówienia tego samego rodzaju sumuje się "
        "(art. 30 Pzp). Złożyć je może tylko kierownik komórki, z pisemnym obiektywnym "
        "uzasadnieniem."
    )
    assert response.json() == {"detail": message}
    second.refresh_from_db()
    assert second.state == "draft"
    assert second.threshold_refusal == message
    detail = client_for(official).get(f"/api/v1/purchases/{second.pk}/").json()
    assert detail["threshold_refusal"] == message


@pytest.mark.django_db
def test_one_grosz_under_the_threshold_is_admitted_as_a_public_inquiry(team, group):
    official = team[Role.OFFICIAL]
    submit(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            estimated_net=Decimal("60000.00"),
        ),
        official,
    )
    second = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        estimated_net=Decimal("69999.99"),
    )

    second = submit(second, official)

    assert (second.state, second.aggregated_net, second.band.procedure) == (
        "submitted",
        Decimal("129999.99"),
        "public_inquiry",
    )


@pytest.mark.django_db
def test_other_groups_years_drafts_and_cancelled_purchases_do_not_count(team, group):
    official, head = team[Role.OFFICIAL], team[Role.UNIT_HEAD]
    other_group = GroupFactory(organisation=team.organisation)
    for kwargs in (
        {"group": other_group},
        {"planned_start": datetime.date(2027, 1, 10), "planned_end": datetime.date(2027, 2, 1)},
    ):
        submit(
            purchase_draft(
                organisation=team.organisation,
                official=official,
                estimated_net=Decimal("100000.00"),
                **{"group": group, **kwargs},
            ),
            official,
        )
    purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        estimated_net=Decimal("100000.00"),
    )
    cancelled = submit(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            estimated_net=Decimal("100000.00"),
        ),
        official,
    )
    transition_apply(obj=cancelled, name="cancel", actor=head, payload={"reason": "Rezygnacja."})

    admitted = submit(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            estimated_net=Decimal("19999.99"),
        ),
        official,
    )

    assert (admitted.aggregated_net, admitted.band.procedure, admitted.aggregation["counted"]) == (
        Decimal("19999.99"),
        "direct",
        [],
    )


@pytest.mark.django_db
def test_only_a_unit_head_overrides_and_the_justification_is_logged(team, group):
    official, head = team[Role.OFFICIAL], team[Role.UNIT_HEAD]
    purchase = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        estimated_net=Decimal("140000.00"),
    )
    justification = "Odrębny program finansowany z innego źródła, inny krąg odbiorców."

    short = client_for(head).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/submit_with_override/",
        {"justification": "bo tak"},
        format="json",
    )
    assert short.status_code == 400
    assert short.json()["errors"] == {
        "justification": ["Upewnij się, że ta wartość ma przynajmniej 40 znaków (obecnie ma 6)."]
    }
    response = client_for(head).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/submit_with_override/",
        {"justification": justification},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (
        body["state"],
        body["threshold_override"],
        body["aggregated_net"],
        body["procedure"],
    ) == (
        "submitted",
        justification,
        "140000.00",
        "public_inquiry",
    )
    log = StateLog.objects.get(transition="submit_with_override")
    assert (log.by, log.payload.data) == (head, {"justification": justification})


@pytest.mark.django_db
def test_the_threshold_is_effective_dated_data(team, group, time_machine):
    official = team[Role.OFFICIAL]
    ThresholdSetting.objects.filter(valid_to__isnull=True).update(
        valid_to=datetime.date(2026, 12, 31)
    )
    ThresholdSetting.objects.create(
        valid_from=datetime.date(2027, 1, 1), net_amount=Decimal("150000.00")
    )
    purchase = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        estimated_net=Decimal("140000.00"),
    )

    assert aggregate_for(purchase, on=datetime.date(2026, 12, 31)).admitted is False
    assert aggregate_for(purchase, on=datetime.date(2027, 1, 1)).admitted is True
    time_machine.move_to(datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC))
    # The bands end at 130 000: above them the strictest band applies only with an override.
    with pytest.raises(GuardRefused) as refused:
        submit(purchase, official)
    assert str(refused.value.message).startswith("Żaden przedział wartości z regulaminu")


@pytest.mark.django_db
def test_an_award_above_the_estimate_is_checked_again(team, group):
    official = team[Role.OFFICIAL]
    submit(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            estimated_net=Decimal("100000.00"),
        ),
        official,
    )
    purchase = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        estimated_net=Decimal("25000.00"),
    )
    purchase = _to_evaluation(purchase, team, price=Decimal("31000.00"))

    with pytest.raises(GuardRefused) as refused:
        transition_apply(
            obj=purchase, name="award", actor=official, payload={"contract_form": "order"}
        )

    assert f"wyniosłaby {zl('131 000,00 zł')}" in str(refused.value.message)
    assert Purchase.objects.get(pk=purchase.pk).state == "evaluating"


def _to_evaluation(purchase, team, *, price: Decimal):
    run = transition_apply
    purchase = run(obj=purchase, name="submit", actor=team[Role.OFFICIAL])
    purchase = run(obj=purchase, name="confirm_funds", actor=team[Role.FINANCE])
    purchase = run(obj=purchase, name="approve", actor=team[Role.UNIT_HEAD])
    return _quote_and_close(purchase, team, price=price)


def _quote_and_close(purchase, team, *, price: Decimal):
    run = transition_apply
    purchase = run(
        obj=purchase,
        name="start_quoting",
        actor=team[Role.OFFICIAL],
        payload={
            "deadline": deadline_in(days=8).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        },
    )
    services.offer_submit(
        invitation=purchase.invitations.first(), price_net=price, price_gross=price
    )
    expire_deadline(purchase)
    return run(
        obj=Purchase.objects.get(pk=purchase.pk),
        name="close_quoting",
        actor=team[Role.OFFICIAL],
    )


# The property ----------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=9000).map(lambda n: Decimal(n) * 10 + Decimal("0.99"))
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("new"),
            st.integers(0, 1),
            st.sampled_from([2026, 2027]),
            amounts,
            st.sampled_from([False, False, False, True]),
        ),
        st.tuples(st.just("cancel"), st.integers(0, 7)),
        st.tuples(st.just("award"), st.integers(0, 7), amounts),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_no_purchase_proceeds_at_or_above_the_threshold_unless_overridden(ops):  # noqa: C901 (a model-based test: one sequence of operations against its model)
    organisation = OrganisationFactory()
    bands_create(organisation)
    team = Team(organisation)
    groups = [GroupFactory(organisation=organisation) for _ in range(2)]
    official, head = team[Role.OFFICIAL], team[Role.UNIT_HEAD]
    model: list[dict] = []  # pk, key, value, counted, overridden, awarded

    def total(key) -> Decimal:
        return sum((p["value"] for p in model if p["key"] == key and p["counted"]), Decimal(0))

    for op in ops:
        if op[0] == "new":
            _, g, year, net, override = op
            key = (g, year)
            purchase = purchase_draft(
                organisation=organisation,
                official=official,
                group=groups[g],
                estimated_net=net,
                planned_start=datetime.date(year, 3, 1),
                planned_end=datetime.date(year, 5, 1),
            )
            expected = total(key) + net
            entry = {
                "pk": purchase.pk,
                "key": key,
                "value": net,
                "counted": False,
                "overridden": override,
                "awarded": False,
            }
            model.append(entry)
            if override:
                purchase = transition_apply(
                    obj=purchase,
                    name="submit_with_override",
                    actor=head,
                    payload={
                        "justification": "Obiektywnie odrębne zamówienie, inny program i odbiorcy."
                    },
                )
                entry["counted"] = True
            else:
                try:
                    purchase = submit(purchase, official)
                except GuardRefused:
                    assert expected >= THRESHOLD
                    assert Purchase.objects.get(pk=purchase.pk).state == "draft"
                else:
                    assert expected < THRESHOLD
                    entry["counted"] = True
            if entry["counted"]:
                assert purchase.aggregated_net == expected
                assert purchase.band.covers(expected) or override
        elif op[0] == "cancel":
            if op[1] >= len(model) or not model[op[1]]["counted"]:
                continue
            entry = model[op[1]]
            transition_apply(
                obj=Purchase.objects.get(pk=entry["pk"]),
                name="cancel",
                actor=head,
                payload={"reason": "Rezygnacja."},
            )
            entry["counted"] = False
        else:
            _, index, price = op
            if index >= len(model) or not model[index]["counted"] or model[index]["awarded"]:
                continue
            entry = model[index]
            purchase = Purchase.objects.get(pk=entry["pk"])
            purchase = transition_apply(
                obj=purchase, name="confirm_funds", actor=team[Role.FINANCE]
            )
            purchase = transition_apply(obj=purchase, name="approve", actor=head)
            purchase = _quote_and_close(purchase, team, price=price)
            expected = total(entry["key"]) - entry["value"] + price
            try:
                transition_apply(
                    obj=purchase,
                    name="award",
                    actor=official,
                    payload={"contract_form": "order"},
                )
            except GuardRefused:
                assert expected >= THRESHOLD and not entry["overridden"]
            else:
                assert expected < THRESHOLD or entry["overridden"]
                entry["value"], entry["awarded"] = price, True
        # Invariants in every group and year without an override.
        for key in {p["key"] for p in model}:
            counted = [p for p in model if p["key"] == key and p["counted"]]
            rows = Purchase.objects.filter(
                organisation=organisation,
                group=groups[key[0]],
                year=key[1],
            ).exclude(state__in=["draft", "cancelled"])
            assert sorted(p.pk for p in rows) == sorted(p["pk"] for p in counted)
            assert sum((p.counted_net for p in rows), Decimal(0)) == total(key)
            if not any(p["overridden"] for p in counted):
                assert total(key) < THRESHOLD
            for row in rows:
                if not row.threshold_overridden:
                    assert row.band.covers(row.aggregated_net)


# Concurrency on PostgreSQL ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submissions_cannot_slip_under_the_threshold_together():
    assert connection.vendor == "postgresql"
    organisation = OrganisationFactory()
    bands_create(organisation)
    team = Team(organisation, suppliers=[])
    group = GroupFactory(organisation=organisation)
    official = team[Role.OFFICIAL]
    drafts = [
        purchase_draft(
            organisation=organisation,
            official=official,
            group=group,
            estimated_net=Decimal("20000.00"),
            title=f"Warsztaty {i}",
        )
        for i in range(10)
    ]

    outcomes = run_concurrently([lambda p=p: submit(p, official) for p in drafts])

    kinds = [kind for kind, _ in outcomes]
    assert (kinds.count("ok"), kinds.count("error")) == (6, 4)
    assert all(isinstance(value, GuardRefused) for kind, value in outcomes if kind == "error")
    admitted = Purchase.objects.filter(group=group, state="submitted")
    assert sum(p.estimated_net for p in admitted) == Decimal("120000.00")
    assert sorted(p.aggregated_net for p in admitted) == [Decimal(20000 * n) for n in range(1, 7)]
