"""What the micro-grant process offers the shared parts of the product, in one place
(``workflows.processes``): finance, the home page and ``load_demo`` ask for it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from notifications.messages import Line
from workflows.processes import DemoBudget, Process, SettlementSource

from . import commitments, demo, selectors
from .models import Application, Call
from .settlements import agreement_settlement_rows
from .workflow import AgreementState, ApplicationState


def _calls(*, organisation_ids):
    return Call.objects.filter(organisation_id__in=organisation_ids).order_by(
        "-year", "title", "pk"
    )


def _call_titles(ids) -> dict[int, str]:
    return dict(Call.objects.filter(pk__in=ids).values_list("pk", "title"))


def _lines_used(*, organisation_id, year) -> set[int]:
    calls = Call.objects.filter(organisation_id=organisation_id, classification__year=year)
    return set(calls.values_list("classification_id", flat=True))


def _reserve_application(*, organisation_id, year):
    """The demo lets an application on the reserve list exceed the plan."""
    return Application.objects.filter(
        call__organisation_id=organisation_id,
        call__classification__year=year,
        state=ApplicationState.RESERVE,
    ).first()


# What the handler of a case does next, by the state it waits for them in.
HANDLER_STEPS = {
    ApplicationState.SUBMITTED: gettext_lazy("Check formally %(number)s (your case)"),
    ApplicationState.EVALUATED: gettext_lazy("Decide on %(number)s (your case)"),
}


def _handled_cases(user) -> list:
    """The cases the user handles that wait for them: a formal check, a decision."""
    cases = Application.objects.filter(handler=user, state__in=list(HANDLER_STEPS)).order_by(
        "submitted_at", "pk"
    )
    return [
        selectors.PendingAction(
            Line(HANDLER_STEPS[case.state], {"number": case.number}),
            reverse("grants:application", args=[case.pk]),
        )
        for case in cases
    ]


def pending_actions(user) -> list:
    """The process's tasks for the user, and first the cases they handle."""
    if not user.is_authenticated:
        return []
    return _handled_cases(user) + selectors.pending_actions(user)


PROCESS = Process(
    name="grant",
    pending_actions=pending_actions,
    commitments=commitments,
    settlement=SettlementSource(
        rows=agreement_settlement_rows,
        label=pgettext_lazy("settlement type", "grant"),
        heading=pgettext_lazy("settlement type", "Grant agreements"),
        states=lambda: AgreementState.choices,
        listed_states=lambda: AgreementState.choices,
        unit="call",
        unit_ref="call_ref",
        units=_calls,
        unit_names=_call_titles,
    ),
    demo_load=demo.demo_load,
    demo_budget=DemoBudget(lines_used=_lines_used, over_plan=_reserve_application),
)
