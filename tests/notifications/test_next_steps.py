"""What comes next is the reader's own: a generic notice or a deadline's message lists
the actions its reader may take, not the office's; a reader who may take none is told
that nothing is needed from them (while others have something to do).

Every transition now says what comes next in a message of its own (issue 12); the
generic notice stays for a ``notify`` declared without one, and these tests run it on
a transition as such a declaration would."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from django_fsm_log.models import StateLog

from accounts.models import Role
from grants.models import Call
from notifications.effects import next_steps, notify
from notifications.models import Notification
from notifications.recipients import handler, related_emails, role, user_at
from tests.purchases.factories import GroupFactory, Team, bands_create, drive, purchase_draft
from workflows.engine import next_actions, transition_apply
from workflows.timers import fire_due
from workflows.transitions import TransitionEvent

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
OFFICE_NEXT = (
    "Co dalej, do 19 stycznia 2027, 23:59 (termin sprawozdania końcowego):\n"
    "- Zakończ (sprawozdanie przyjęte)\n- Rozwiąż"
)
NOTHING_FROM_YOU = "Nie musisz teraz nic robić; gdy coś będzie potrzebne, dostaniesz wiadomość."


def body(email: str, language: str = "pl") -> str:
    message = Notification.objects.filter(email=email).latest("pk")
    with translation.override(language):
        return message.rendered()[1]


def tell_of_last_transition(obj, *to) -> None:
    """Run a generic ``notify(*to)`` on the object's last transition, as a transition
    that declared it would, in place of the message the transition wrote itself (one
    notice a reader and event)."""
    log = StateLog.objects.for_(obj).latest("pk")
    Notification.objects.filter(dedupe_key=f"transition:{log.pk}").delete()
    event = TransitionEvent(
        model=obj._meta.label_lower,
        object_id=obj.pk,
        transition=log.transition,
        source=log.source_state,
        target=log.state,
        actor_id=log.by_id,
        log_id=log.pk,
    )
    notify(*to).run(event)


def test_the_official_the_grantee_and_a_member_read_their_own_next_steps(world):
    agreement = world.agreement_in_implementation()

    tell_of_last_transition(
        agreement,
        handler("application", fallback_roles=(Role.OFFICIAL,)),
        user_at("application.applicant"),
        related_emails("application.members"),  # without accounts
    )

    said = "Umowa U/GMP/2026/FS1/0001: Rozpocznij realizację. Obecny stan: w realizacji.\n\n"
    assert body(world.official.email) == said + OFFICE_NEXT
    assert body(world.resident.email) == said + NOTHING_FROM_YOU
    assert body("czlonek2@example.org") == said + NOTHING_FROM_YOU
    assert body(world.resident.email, "en") == (
        "Agreement U/GMP/2026/FS1/0001: Start implementation. Now: in implementation.\n\n"
        "Nothing is needed from you now; you will get a message when something is."
    )


def test_an_applicant_told_of_the_publication_for_comments_reads_only_their_action(world):
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)

    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )
    tell_of_last_transition(offer, user_at("applicant"))

    # Approving and rejecting are the office's; the end of the period is the system's.
    assert body(world.resident.email) == (
        "Wniosek GMP/2026/M19/0001: Uznaj celowość i opublikuj do konsultacji. Obecny stan: "
        "opublikowany do konsultacji.\n\nCo dalej, do 30 listopada 2026, 10:00 (koniec "
        "terminu na uwagi):\n- Wycofaj wniosek"
    )
    # What the notice listed before it was read per reader:
    assert [str(label) for label in next_actions(offer)] == [
        "Zatwierdź",
        "Odrzuć",
        "Wycofaj wniosek",
    ]


def test_the_requester_and_finance_told_of_an_approved_purchase_read_different_steps(
    organisation,
):
    bands_create(organisation)
    team = Team(organisation)
    group = GroupFactory(organisation=organisation)
    draft = purchase_draft(organisation=organisation, official=team[Role.OFFICIAL], group=group)

    purchase = drive(draft, team, "approve")
    tell_of_last_transition(purchase, user_at("requested_by"), role(Role.FINANCE))

    said = (
        f"Zamówienie {purchase.number} Warsztaty dla seniorów: Zatwierdź zamówienie. "
        "Obecny stan: zatwierdzone.\n\n"
    )
    assert body(team[Role.OFFICIAL].email) == (
        said + "Co dalej:\n- Unieważnij zamówienie\n- Zaproś do składania ofert"
    )
    assert body(team[Role.FINANCE].email) == said + NOTHING_FROM_YOU


def test_when_nobody_has_anything_left_the_notice_says_so(world):
    application = world.submitted()

    application = transition_apply(obj=application, name="withdraw", actor=world.resident)
    tell_of_last_transition(
        application, handler(fallback_roles=(Role.OFFICIAL,)), related_emails("members")
    )

    assert body(world.official.email).endswith(
        "Obecny stan: wycofany.\n\nNic więcej nie trzeba robić."
    )
    assert body("czlonek1@example.org").endswith(
        "Obecny stan: wycofany.\n\nNic więcej nie trzeba robić."
    )


def test_a_reminder_to_the_grantee_lists_none_of_the_office_s_actions(world, frozen_now):
    """The final report is handed in on the report, not the agreement: the grantee
    reminded of it has no action here, and is not told that nothing is needed."""
    world.agreement_in_implementation()
    frozen_now.move_to(datetime.datetime(2027, 1, 12, 8, 0, tzinfo=WARSAW))

    fire_due()

    assert body(world.resident.email) == (
        "Umowa U/GMP/2026/FS1/0001 (w realizacji): termin sprawozdania końcowego, termin "
        "upływa 19 stycznia 2027, 23:59."
    )
    frozen_now.move_to(datetime.datetime(2027, 1, 20, 8, 0, tzinfo=WARSAW))

    fire_due()

    overdue = (
        "Umowa U/GMP/2026/FS1/0001 (w realizacji): termin sprawozdania końcowego, termin "
        "upływa 19 stycznia 2027, 23:59."
    )
    assert body(world.resident.email) == overdue
    assert body(world.official.email) == (
        overdue + "\n\nCo dalej:\n- Zakończ (sprawozdanie przyjęte)\n- Rozwiąż"
    )
    assert body(world.official.email, "en") == (
        "Agreement U/GMP/2026/FS1/0001 (in implementation): final report due, the deadline "
        "is 19 January 2027, 23:59.\n\nWhat comes next:\n- Complete (report accepted)\n"
        "- Terminate"
    )


def test_next_actions_for_a_reader(world):
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )

    def labels(actor):
        with translation.override("en"):
            return [str(label) for label in next_actions(offer, actor)]

    # The official may end the period early (the page offers it); the system ends it
    # otherwise, so it is not counted among whatever anyone has left.
    assert labels(world.official) == ["Approve", "End the comment period", "Reject"]
    assert labels(world.resident) == ["Withdraw the application"]
    assert labels(world.finance) == []
    assert labels(None) == []  # a person without an account
    with translation.override("en"):
        assert str(next_steps(offer, reader=world.finance, deadline=False)) == (
            "Nothing is needed from you now; you will get a message when something is."
        )
