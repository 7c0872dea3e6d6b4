"""The budget plan (plan finansowy) and the check that approvals and awards stay in it.

Vocabulary (the figures of one plan line: an organisation, a budget year and a line of
the budget classification; the year is the classification line's):
- planned (plan): the amount finance set on the ``BudgetPlanLine``; 0 when the
  organisation has a plan for the year but no line for the classification.
- committed (zaangażowanie): what the processes have promised to pay from the line -
  the approved amounts of approved grant applications of the organisation's calls with
  that classification, and the contract value (awarded gross plus annexes) of awarded
  purchases with that classification, from the award on, unless cancelled.
- paid (wykonanie): payment orders with that classification in the state "paid".
- returned (zwroty): grant money the grantees returned after settlement (returns with
  a date) under agreements of calls with that classification.
- available (wolne środki) = planned - committed + returned.
- override (zgoda na przekroczenie): finance's permission, with a reason, for a named
  application or purchase to exceed the line; it raises the line's limit by its amount.

The check (``budget_check``): an approval or award of ``amount`` passes when the
organisation has no plan line at all for the budget year (no plan set up, no check), or
when committed + amount <= planned + returned + overrides of the line. Otherwise it is
refused (``GuardRefused``, 409) with the numbers. The plan line row is locked while the
figures are read, so two approvals on the same line are checked one after the other.

The processes report their commitments through *commitment providers*: the
``commitments`` hook each process declares (``workflows.processes``), asked for when
first needed, because grants and purchases import finance and not the other way
round. A provider has:
- ``committed(*, organisation_ids, year, classification_id=None)`` and
  ``returned(...)``, each ``{(organisation id, classification id): Decimal}``;
- ``source_find(*, organisation_ids, number)``: the application or purchase with that
  number, or ``None``;
- ``source_budget(source)``: a ``SourceBudget`` for an object of its process, or
  ``None`` for others;
- optionally ``summary_rows(*, organisation_id, year)``: ``SummaryRow`` per call (or
  another unit of the process) for the yearly summary.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role, User
from accounts.permissions import organisation_ids_with, role_require
from documents.formatting import format_amount
from notifications.messages import Money
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record, snapshot
from workflows.errors import GuardRefused, InvalidInput, NotVisible
from workflows.processes import offering
from workflows.versioning import version_bump, version_check

from ..models import BudgetClassification, BudgetOverride, BudgetPlanLine, PaymentOrder
from ..selectors import sums_by_line
from ..workflow import PaymentState

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
OVERRIDE_REASON_MIN = 20
PLAN_ROLES = (Role.FINANCE, Role.ORG_ADMIN)  # who sees plans; only finance changes them
PLAN_CHANGE_REFUSED = gettext_lazy("Only finance may change the budget plan.")

Key = tuple[int, int]  # (organisation id, classification id)

OVERRIDE_SUBJECT = gettext_lazy("Budget plan exceeded for %(number)s")
OVERRIDE_BODY = gettext_lazy(
    "%(who)s allowed %(number)s to exceed the budget plan line %(code)s (%(year)s) by "
    "up to %(amount)s.\n\nReason:\n%(reason)s\n\nPropose a change of the budget plan "
    "(a resolution or an order moving the funds) so that the line covers the amount "
    "before the payment is due."
)


@dataclass(frozen=True)
class SourceBudget:
    """Where an application or purchase sits in the budget."""

    organisation_id: int
    year: int
    classification: BudgetClassification | None
    number: str
    url: str


@dataclass
class Figures:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    returned: Decimal = ZERO
    overrides: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.planned - self.committed + self.returned

    def add(self, other: "Figures") -> None:
        for name in ("planned", "committed", "paid", "returned", "overrides"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PlanRow:
    """One classification line of an organisation's year: planned (``plan_line`` is
    ``None`` for a line that has commitments or payments but is not in the plan)."""

    classification: BudgetClassification
    plan_line: BudgetPlanLine | None
    figures: Figures


@dataclass
class SummaryRow:
    """One call (or another unit of a process) in the yearly summary."""

    label: str
    url: str
    classification: BudgetClassification | None
    figures: Figures


@dataclass
class YearSummary:
    organisation_id: int
    year: int
    lines: list[PlanRow]
    units: list[SummaryRow]
    totals: Figures = field(default_factory=Figures)


def providers() -> list[ModuleType]:
    return offering("commitments")


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def _merge(target: dict[Key, Figures], values: dict[Key, Decimal], name: str) -> None:
    for key, value in values.items():
        figures = target.setdefault(key, Figures())
        setattr(figures, name, getattr(figures, name) + _money(value))


def figures_by_line(
    *, organisation_ids: list[int], year: int, classification_id: int | None = None
) -> dict[Key, Figures]:
    """Planned, committed, paid, returned and overrides of every line with any of them;
    a fixed number of queries whatever the number of lines."""
    result: dict[Key, Figures] = {}
    lines = BudgetPlanLine.objects.filter(
        organisation_id__in=organisation_ids, classification__year=year
    )
    if classification_id is not None:
        lines = lines.filter(classification_id=classification_id)
    planned = lines.values_list("organisation_id", "classification_id", "planned")
    _merge(result, {(o, c): p for o, c, p in planned}, "planned")
    kwargs = {
        "organisation_ids": organisation_ids,
        "year": year,
        "classification_id": classification_id,
    }
    paid = PaymentOrder.objects.filter(state=PaymentState.PAID)
    _merge(result, sums_by_line(paid, "amount", **kwargs), "paid")
    overrides = BudgetOverride.objects.all()
    _merge(result, sums_by_line(overrides, "amount", owner="plan_line__", **kwargs), "overrides")
    for provider in providers():
        _merge(result, provider.committed(**kwargs), "committed")
        _merge(result, provider.returned(**kwargs), "returned")
    return result


def has_plan(*, organisation_id: int, year: int) -> bool:
    return BudgetPlanLine.objects.filter(
        organisation_id=organisation_id, classification__year=year
    ).exists()


def plan_rows(*, organisation_id: int, year: int) -> list[PlanRow]:
    """The organisation's plan for ``year`` with its figures, in classification order;
    lines with commitments or payments but no plan line come too (planned 0)."""
    figures = figures_by_line(organisation_ids=[organisation_id], year=year)
    plan_lines = {
        line.classification_id: line
        for line in BudgetPlanLine.objects.filter(
            organisation_id=organisation_id, classification__year=year
        ).select_related("classification", "updated_by")
    }
    ids = {classification_id for _org, classification_id in figures}
    missing = ids - set(plan_lines)
    classifications = {line.classification_id: line.classification for line in plan_lines.values()}
    if missing:
        classifications.update(BudgetClassification.objects.in_bulk(missing))
    rows = [
        PlanRow(
            classification=classifications[classification_id],
            plan_line=plan_lines.get(classification_id),
            figures=figures.get((organisation_id, classification_id), Figures()),
        )
        for classification_id in ids | set(plan_lines)
    ]
    rows.sort(key=lambda row: (row.classification.code, row.classification.pk))
    return rows


def year_summary(*, organisation_id: int, year: int) -> YearSummary:
    """Per classification line and per call: planned, committed, paid, returned."""
    lines = plan_rows(organisation_id=organisation_id, year=year)
    units: list[SummaryRow] = []
    for provider in providers():
        summary_rows = getattr(provider, "summary_rows", None)
        if summary_rows is not None:
            units.extend(summary_rows(organisation_id=organisation_id, year=year))
    summary = YearSummary(organisation_id=organisation_id, year=year, lines=lines, units=units)
    for row in lines:
        summary.totals.add(row.figures)
    return summary


def overrides_for(*, organisation_id: int, year: int):
    """The overrides of an organisation's plan for ``year``, newest first, with the
    application or purchase each names (one query per kind of source)."""
    return (
        BudgetOverride.objects.filter(
            plan_line__organisation_id=organisation_id, plan_line__classification__year=year
        )
        .select_related("plan_line__classification", "created_by", "source_type")
        .prefetch_related("source")
        .order_by("-created_at", "-pk")
    )


# The check ---------------------------------------------------------------------------


def _lines_locked(lines: models.QuerySet[BudgetPlanLine]) -> list[BudgetPlanLine]:
    """Lock ``lines`` until the transaction ends, always in the order of their ids."""
    return list(lines.select_for_update(of=("self",), no_key=True).order_by("pk"))


def budget_check(
    *,
    organisation_id: int,
    year: int,
    classification: BudgetClassification | None,
    amount: Decimal,
) -> None:
    """Inside an approval or award: refuse ``amount`` when it does not fit the plan line.

    Called inside the transition's transaction; it locks the plan line it checks until
    that transaction ends, so concurrent approvals on one line are checked one at a time
    while approvals on other lines of the organisation run in parallel.
    ``year`` is the budget year of the call or purchase, used when it has no
    classification; otherwise the classification line's own year counts.
    """
    plan_year = classification.year if classification is not None else year
    year_lines = BudgetPlanLine.objects.filter(
        organisation_id=organisation_id, classification__year=plan_year
    )
    if classification is None:
        if not year_lines.exists():
            return  # no plan for the year: nothing to check against
        raise GuardRefused(
            _(
                "The organisation has a budget plan for %(year)d, so the amount is checked "
                "against a line of it: set the budget classification first."
            )
            % {"year": plan_year}
        )
    # Only the line checked is locked (FOR NO KEY UPDATE: an override may still be
    # added to it, which only raises its limit). A check against a line missing from a
    # plan (planned 0) locks every line of the year instead, in the order of their ids,
    # so that it is serialised too and two such checks cannot deadlock.
    lines = _lines_locked(year_lines.filter(classification_id=classification.pk))
    if not lines:
        lines = _lines_locked(year_lines)
    if not lines:
        return  # no plan for the year: nothing to check against
    line = next((x for x in lines if x.classification_id == classification.pk), None)
    figures = figures_by_line(
        organisation_ids=[organisation_id], year=plan_year, classification_id=classification.pk
    ).get((organisation_id, classification.pk), Figures())
    planned = line.planned if line is not None else ZERO
    limit = planned + figures.returned + figures.overrides
    excess = figures.committed + amount - limit
    if excess > ZERO:
        raise GuardRefused(
            _(
                "The budget plan does not cover this amount. Line %(code)s (%(year)d): "
                "planned %(planned)s, committed %(committed)s, returned %(returned)s, "
                "overrides %(overrides)s; this amount %(amount)s exceeds the plan by "
                "%(excess)s. Finance may allow the excess with a reason."
            )
            % {
                "code": classification.code,
                "year": classification.year,
                "planned": format_amount(planned),
                "committed": format_amount(figures.committed),
                "returned": format_amount(figures.returned),
                "overrides": format_amount(figures.overrides),
                "amount": format_amount(amount),
                "excess": format_amount(excess),
            }
        )


# Writes ------------------------------------------------------------------------------


def _money_input(value, field_name: str, *, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount != amount.quantize(CENT)
        or amount < ZERO
        or (positive and amount == ZERO)
        or amount >= Decimal("1e12")
    ):
        message = (
            _("Give an amount above zero, in złoty with at most 2 decimal places.")
            if positive
            else _("Give an amount of zero or more, in złoty with at most 2 decimal places.")
        )
        raise InvalidInput(field_errors={field_name: [message]})
    return amount.quantize(CENT)


@transaction.atomic
def plan_line_set(
    *,
    organisation: Organisation,
    classification: BudgetClassification,
    planned: Decimal,
    actor: User,
    expected_version: int | None = None,
) -> BudgetPlanLine:
    """Set the planned amount of one line of the organisation's plan (creating the line
    when it is new). ``expected_version``: the version the user edited (an existing line)."""
    role_require(actor, organisation.pk, Role.FINANCE, message=PLAN_CHANGE_REFUSED)
    planned = _money_input(planned, "planned", positive=False)
    line, created = BudgetPlanLine.objects.select_for_update().get_or_create(
        organisation=organisation,
        classification=classification,
        defaults={"planned": planned, "updated_by": actor},
    )
    before = {} if created else snapshot(line, ["planned"])
    if not created:
        version_check(line, expected_version)
        line.planned = planned
        line.updated_by = actor
        line.save(update_fields=["planned", "updated_by", "updated_at", *version_bump(line)])
    if before != snapshot(line, ["planned"]):
        audit_record(
            obj=line,
            actor=actor,
            action="plan_line_set",
            before=before,
            after=snapshot(line, ["planned"]),
        )
    return line


def source_budget(source: models.Model) -> SourceBudget:
    for provider in providers():
        found = provider.source_budget(source)
        if found is not None:
            return found
    raise InvalidInput(_("Only an application or a purchase can exceed the budget plan."))


def source_find(*, user: User, number: str) -> models.Model:
    """The application or purchase with ``number`` in the organisations where ``user``
    is finance."""
    number = (number or "").strip()
    organisation_ids = organisation_ids_with(user, Role.FINANCE)
    if number and organisation_ids:
        for provider in providers():
            found = provider.source_find(organisation_ids=organisation_ids, number=number)
            if found is not None:
                return found
    raise NotVisible(
        _("No application or purchase of your organisations has the number “%(number)s”.")
        % {"number": number}
    )


@transaction.atomic
def budget_override_create(
    *, source: models.Model, amount: Decimal, reason: str, actor: User
) -> BudgetOverride:
    """Finance allows an application or purchase to exceed its plan line by up to
    ``amount``, with a reason; the organisation's officials are told. A line missing
    from the year's plan is added with 0 planned, so that the override has its line."""
    budget = source_budget(source)
    role_require(actor, budget.organisation_id, Role.FINANCE, message=PLAN_CHANGE_REFUSED)
    errors = {}
    reason = (reason or "").strip()
    try:
        amount = _money_input(amount, "amount", positive=True)
    except InvalidInput as exc:
        errors.update(exc.field_errors)
    if len(reason) < OVERRIDE_REASON_MIN:
        errors["reason"] = [
            _("Give the reason in at least %(n)d characters; it is kept in the log.")
            % {"n": OVERRIDE_REASON_MIN}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    classification = budget.classification
    if classification is None:
        raise InvalidInput(
            _("%(number)s has no budget classification, so it is not checked against a plan.")
            % {"number": budget.number}
        )
    if not has_plan(organisation_id=budget.organisation_id, year=classification.year):
        raise InvalidInput(
            _("There is no budget plan for %(year)d, so there is nothing to exceed.")
            % {"year": classification.year}
        )
    line, _created = BudgetPlanLine.objects.select_for_update().get_or_create(
        organisation_id=budget.organisation_id,
        classification=classification,
        defaults={"planned": ZERO, "updated_by": actor},
    )
    override = BudgetOverride.objects.create(
        plan_line=line,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        amount=amount,
        reason=reason,
        created_by=actor,
    )
    officials = (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=budget.organisation_id,
            memberships__role=Role.OFFICIAL,
        )
        .distinct()
        .order_by("pk")
    )
    notify(
        recipients=[Recipient(email=user.email, user=user) for user in officials],
        kind="finance.budget_override",
        subject=OVERRIDE_SUBJECT,
        body=OVERRIDE_BODY,
        url=budget.url,
        essential=True,
        about=override,
        dedupe_key=f"budget-override:{override.pk}",
        context={
            "who": actor.get_full_name() or actor.email,
            "number": budget.number,
            "code": classification.code,
            "year": classification.year,
            "amount": Money(amount),
            "reason": reason,
        },
    )
    return override


def finance_organisations(user: User) -> models.QuerySet[Organisation]:
    """The organisations whose plans ``user`` may see (finance and administrators)."""
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, *PLAN_ROLES)).order_by(
        "name"
    )
