"""Who is told of each purchase transition, and the offer deadline that opens the
offers by itself."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from notifications.models import Notification
from purchases import services
from purchases.models import Purchase
from workflows.engine import transition_apply
from workflows.models import Timer
from workflows.timers import fire_due

from .factories import PATH, Team, deadline_in, purchase_draft

pytestmark = pytest.mark.django_db


def test_each_purchase_transition_tells_the_right_people(
    organisation, group, bands, django_capture_on_commit_callbacks
):
    team = Team(organisation)
    official, head, finance = (team[r].email for r in (Role.OFFICIAL, Role.UNIT_HEAD, Role.FINANCE))
    purchase = purchase_draft(organisation=organisation, official=team[Role.OFFICIAL], group=group)
    told = {}
    for _state, role, name, payload in PATH:
        if name == "start_quoting":
            payload = {
                "deadline": deadline_in(hours=1).isoformat(),
                "suppliers": [s.pk for s in team.suppliers],
            }
        if name == "close_quoting":
            for invitation in purchase.invitations.all():
                services.offer_submit(invitation=invitation, price_net=28000, price_gross=34440)
            Purchase.objects.filter(pk=purchase.pk).update(
                quote_deadline=timezone.now() - datetime.timedelta(minutes=1)
            )
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            purchase = transition_apply(
                obj=Purchase.objects.get(pk=purchase.pk),
                name=name,
                actor=team[role],
                payload=dict(payload),
            )
        told[name] = sorted(
            Notification.objects.exclude(pk__in=before).values_list("email", flat=True)
        )

    assert told == {
        "submit": sorted([head, finance]),
        "confirm_funds": [head],
        "approve": sorted([official, finance]),
        "start_quoting": [],
        "close_quoting": [official],
        "award": [finance],
        "start_execution": [],
        "report_delivery": [],
        "accept": [finance],
        "record_invoice": [finance],
        "mark_paid": [official, official],  # the purchase, then its payment order
        "close": [],
    }


def test_the_offer_deadline_opens_the_offers_by_itself(organisation, group, bands):
    team = Team(organisation)
    purchase = purchase_draft(organisation=organisation, official=team[Role.OFFICIAL], group=group)
    for _state, role, name, payload in PATH[:3]:
        purchase = transition_apply(
            obj=purchase, name=name, actor=team[role], payload=dict(payload)
        )
    purchase = transition_apply(
        obj=purchase,
        name="start_quoting",
        actor=team[Role.OFFICIAL],
        payload={
            "deadline": deadline_in(hours=1).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        },
    )
    for invitation in purchase.invitations.all():
        services.offer_submit(invitation=invitation, price_net=28000, price_gross=34440)
    timer = Timer.objects.get(content_type__model="purchase", object_id=purchase.pk)
    assert timer.due_at == purchase.quote_deadline

    assert fire_due() == 0
    with time_machine.travel(purchase.quote_deadline + datetime.timedelta(seconds=1)):
        assert fire_due() == 1

    assert Purchase.objects.get(pk=purchase.pk).state == "evaluating"
