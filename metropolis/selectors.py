"""Reads of the metropolis app.

``member_figures`` adds up, for a metropolis, what its member municipalities (and the
operators serving them, and the metropolis itself as a grantor) did: calls,
applications, grants awarded and paid, initiatives and their participants, purchases
by procedure, per municipality, year and area of public tasks. Only counts and sums
leave this module, never a row of a resident or supplier. A fixed number of queries,
however many members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from accounts.models import Organisation
from accounts.permissions import organisation_ids_with
from areas.models import Area
from finance.workflow import PaymentState
from grants.models import Agreement, Application, Call, GroupMember, Tranche
from grants.workflow import AgreementState, ApplicationState, CallState
from purchases.models import Purchase, ValueBand
from purchases.workflow import PurchaseState

from . import stemming
from .models import COST_BANDS, GoodPractice, Programme

ZERO = Decimal("0.00")
PROCEDURES = list(ValueBand.Procedure)
INITIATIVE_STATES = [
    AgreementState.IN_IMPLEMENTATION,
    AgreementState.COMPLETED,
    AgreementState.SETTLED,
    AgreementState.CLOSED,
]


def metropolises_of(user):
    """The metropolises where ``user`` holds a role."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.METROPOLIS, pk__in=organisation_ids_with(user)
    ).order_by("name")


@dataclass
class Figures:
    calls: int = 0
    applications: int = 0
    grants: int = 0
    awarded: Decimal = ZERO
    paid: Decimal = ZERO
    initiatives: int = 0
    participants: int = 0
    purchases: dict = field(default_factory=lambda: {p: [0, ZERO] for p in PROCEDURES})

    def add(self, other: "Figures") -> None:
        for name in ("calls", "applications", "grants", "awarded", "paid", "initiatives"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.participants += other.participants
        for procedure, (count, net) in other.purchases.items():
            self.purchases[procedure][0] += count
            self.purchases[procedure][1] += net

    @property
    def purchase_list(self) -> list:
        """(procedure's label, [count, net]) for each procedure, in order."""
        return [(p.label, self.purchases[p]) for p in PROCEDURES]

    @property
    def purchase_net(self) -> Decimal:
        return sum((net for _count, net in self.purchases.values()), ZERO)


@dataclass
class Row:
    municipality: Organisation
    year: int
    area: Area | None
    figures: Figures


@dataclass
class MemberFigures:
    metropolis: Organisation
    members: list
    rows: list
    by_municipality: list  # (municipality, Figures)
    totals: Figures


def _grantors(metropolis: Organisation) -> dict[int, Organisation]:
    """Every grantor or buyer whose figures count, mapped to the municipality they are
    shown under: members, their operators, and the metropolis itself."""
    members = list(Organisation.objects.filter(metropolis=metropolis).order_by("name"))
    mapping = {m.pk: m for m in members}
    for operator in Organisation.objects.filter(parent__in=members).only("pk", "parent_id"):
        mapping[operator.pk] = mapping[operator.parent_id]
    mapping[metropolis.pk] = metropolis
    return mapping


def _collect(rows, key_names, grantors, cells, apply):
    for row in rows:
        # A municipality named by an application of a metropolis-wide call that has
        # since left the metropolis counts under the metropolis, the call's grantor.
        home = grantors.get(row[key_names[0]]) or next(
            o for o in grantors.values() if o.is_metropolis
        )
        apply(cells[(home.pk, row[key_names[1]], row[key_names[2]])], row)


def member_figures(metropolis: Organisation, year: int | None = None) -> MemberFigures:
    grantors = _grantors(metropolis)
    ids = list(grantors)
    year_q = (lambda prefix: Q(**{prefix: year})) if year else (lambda prefix: Q())
    cells: dict[tuple, Figures] = defaultdict(Figures)

    calls = (
        Call.objects.filter(organisation_id__in=ids)
        .exclude(state=CallState.DRAFT)
        .filter(year_q("year"))
        .values("organisation_id", "year", "area_id")
        .annotate(n=Count("pk"))
    )
    _collect(
        calls,
        ("organisation_id", "year", "area_id"),
        grantors,
        cells,
        lambda f, r: setattr(f, "calls", f.calls + r["n"]),
    )
    # An application of a metropolis-wide call (and its agreement, payments and group)
    # counts under the member municipality where its initiative takes place; any other
    # under its call's grantor.
    prefix = "call__"
    applications = (
        Application.objects.filter(call__organisation_id__in=ids, submitted_at__isnull=False)
        .filter(year_q("call__year"))
        .values(
            o=Coalesce("municipality_id", prefix + "organisation_id"),
            y=F(prefix + "year"),
            a=F(prefix + "area_id"),
        )
        .annotate(
            n=Count("pk"),
            granted=Count("pk", filter=Q(state=ApplicationState.APPROVED)),
            awarded=Coalesce(
                Sum("approved_amount", filter=Q(state=ApplicationState.APPROVED)), ZERO
            ),
        )
    )

    def add_applications(f, r):
        f.applications += r["n"]
        f.grants += r["granted"]
        f.awarded += r["awarded"]

    _collect(applications, ("o", "y", "a"), grantors, cells, add_applications)
    prefix = "agreement__application__call__"
    paid = (
        Tranche.objects.filter(
            agreement__organisation_id__in=ids, payment_order__state=PaymentState.PAID
        )
        .filter(year_q(prefix + "year"))
        .values(
            o=Coalesce("agreement__application__municipality_id", "agreement__organisation_id"),
            y=F(prefix + "year"),
            a=F(prefix + "area_id"),
        )
        .annotate(s=Sum("amount"))
    )
    _collect(
        paid, ("o", "y", "a"), grantors, cells, lambda f, r: setattr(f, "paid", f.paid + r["s"])
    )
    prefix = "application__call__"
    initiatives = (
        Agreement.objects.filter(organisation_id__in=ids, state__in=INITIATIVE_STATES)
        .filter(year_q(prefix + "year"))
        .values(
            o=Coalesce("application__municipality_id", "organisation_id"),
            y=F(prefix + "year"),
            a=F(prefix + "area_id"),
        )
        .annotate(n=Count("pk"))
    )
    _collect(
        initiatives,
        ("o", "y", "a"),
        grantors,
        cells,
        lambda f, r: setattr(f, "initiatives", f.initiatives + r["n"]),
    )
    prefix = "application__agreement__application__call__"
    participants = (
        GroupMember.objects.filter(
            application__agreement__organisation_id__in=ids,
            application__agreement__state__in=INITIATIVE_STATES,
        )
        .filter(year_q(prefix + "year"))
        .values(
            o=Coalesce("application__municipality_id", "application__agreement__organisation_id"),
            y=F("application__call__year"),
            a=F("application__call__area_id"),
        )
        .annotate(n=Count("pk"))
    )
    _collect(
        participants,
        ("o", "y", "a"),
        grantors,
        cells,
        lambda f, r: setattr(f, "participants", f.participants + r["n"]),
    )
    purchases = (
        Purchase.objects.filter(organisation_id__in=ids, band__isnull=False)
        .exclude(state__in=[PurchaseState.DRAFT, PurchaseState.CANCELLED])
        .filter(year_q("year"))
        .values("organisation_id", "year", "area_id", "band__procedure")
        .annotate(
            n=Count("pk"),
            awarded=Coalesce(Sum(F("awarded_net") + F("annexes_net")), ZERO),
            estimated=Coalesce(Sum("estimated_net", filter=Q(awarded_net__isnull=True)), ZERO),
        )
    )

    def add_purchases(f, r):
        cell = f.purchases[r["band__procedure"]]
        cell[0] += r["n"]
        cell[1] += r["awarded"] + r["estimated"]

    _collect(purchases, ("organisation_id", "year", "area_id"), grantors, cells, add_purchases)
    return _assemble(metropolis, grantors, cells)


def _assemble(metropolis, grantors, cells) -> MemberFigures:
    areas = {a.pk: a for a in Area.objects.all()}
    by_pk = {o.pk: o for o in grantors.values()}
    rows = [
        Row(municipality=by_pk[o], year=y, area=areas.get(a), figures=f)
        for (o, y, a), f in cells.items()
    ]
    rows.sort(
        key=lambda r: (
            r.municipality.name,
            r.year,
            r.area.position if r.area else 10_000,
            r.area.code if r.area else "",
        )
    )
    municipalities = sorted(by_pk.values(), key=lambda o: (o.pk == metropolis.pk, o.name))
    per = {o.pk: Figures() for o in municipalities}
    totals = Figures()
    for row in rows:
        per[row.municipality.pk].add(row.figures)
        totals.add(row.figures)
    members = [o for o in municipalities if o.pk != metropolis.pk]
    return MemberFigures(
        metropolis=metropolis,
        members=members,
        rows=rows,
        by_municipality=[(o, per[o.pk]) for o in municipalities],
        totals=totals,
    )


# Good practices and programmes ------------------------------------------------------


def practices_search(
    *, query: str = "", municipality=None, area=None, form="", cost_band="", year=None
):
    """The public catalogue: every published practice matching the filters; ``query``
    is searched in their stemmed words (see ``metropolis.stemming``)."""
    wanted = {"organisation": municipality, "area": area, "form": form, "year": year}
    practices = GoodPractice.objects.select_related("organisation", "area").filter(
        **{name: value for name, value in wanted.items() if value}
    )
    if cost_band in COST_BANDS:
        lowest, highest = COST_BANDS[cost_band]
        practices = practices.filter(cost__gte=lowest)
        if highest is not None:
            practices = practices.filter(cost__lt=highest)
    terms = [t for t in stemming.stems(query) if t.isalnum()]
    if terms and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        raw = " & ".join(f"{t}:*" for t in terms)
        practices = practices.annotate(found=SearchVector("search_text", config="simple")).filter(
            found=SearchQuery(raw, config="simple", search_type="raw")
        )
    else:
        for term in terms:
            practices = practices.filter(search_text__contains=term)
    return practices.order_by("-published_at", "-pk")


def practice_years() -> list[int]:
    return list(GoodPractice.objects.order_by("-year").values_list("year", flat=True).distinct())


def programmes_list():
    return Programme.objects.select_related("organisation").order_by("-published_at", "-pk")
