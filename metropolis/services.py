"""Every write of the metropolis app: a municipality joins a metropolis, an official
publishes a settled initiative as a good practice or a call's rules as a programme.
Each leaves an audit entry."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require
from areas.models import Area
from documents.formatting import format_amount
from grants.models import CALL_RULE_FIELDS, Agreement, Call
from grants.workflow import AgreementState
from purchases.models import Purchase
from purchases.workflow import PurchaseState
from workflows.audit import audit_record
from workflows.errors import Conflict, InvalidInput

from . import stemming
from .models import Form, GoodPractice, PracticePhoto, Programme
from .opendata.ocds import NATURAL_PERSONS
from .redaction import application_names, redact

SETTLED = (AgreementState.SETTLED, AgreementState.CLOSED)
ACCEPTED_PURCHASES = (
    PurchaseState.ACCEPTED,
    PurchaseState.INVOICED,
    PurchaseState.PAID,
    PurchaseState.CLOSED,
)
PRACTICE_TEXTS = ("title", "what_was_done", "for_whom", "results", "sources", "model_used")


@transaction.atomic
def metropolis_member_set(
    *, municipality: Organisation, metropolis: Organisation | None, actor: User | None
) -> Organisation:
    """Make ``municipality`` a member of ``metropolis`` (None: of none)."""
    if metropolis is not None and metropolis.kind != Organisation.Kind.METROPOLIS:
        raise InvalidInput(field_errors={"metropolis": [_("Choose a metropolis.")]})
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise InvalidInput(
            field_errors={"municipality": [_("Only a municipality can be a member.")]}
        )
    before = {"metropolis": municipality.metropolis_id}
    municipality.metropolis = metropolis
    municipality.save(update_fields=["metropolis"])
    audit_record(
        obj=municipality,
        actor=actor,
        action="metropolis_member_set",
        before=before,
        after={"metropolis": getattr(metropolis, "pk", None)},
    )
    return municipality


def personal_names(agreement: Agreement) -> list[str]:
    """The natural persons an agreement's records name: whose names a practice drops."""
    return application_names(agreement.application)


def _indicator_lines(application) -> str:
    lines = []
    for indicator in application.indicators.all():
        achieved = "—" if indicator.achieved is None else f"{indicator.achieved.normalize():f}"
        lines.append(
            _("%(name)s: planned %(target)s %(unit)s, achieved %(achieved)s")
            % {
                "name": indicator.name,
                "target": f"{indicator.target.normalize():f}",
                "unit": indicator.unit,
                "achieved": achieved,
            }
        )
    return "\n".join(lines)


def practice_initial(agreement: Agreement) -> dict:
    """What a practice of ``agreement`` says before the official edits it: the
    application's and the report's words, with personal data already removed."""
    application = agreement.application
    call = application.call
    report = getattr(agreement, "report", None)
    own = application.own_contribution
    fields = {
        "title": application.title,
        "what_was_done": (report.narrative if report and report.narrative else application.summary),
        "for_whom": application.beneficiaries,
        "results": _indicator_lines(application),
        "cost": application.total_cost,
        "sources": _("grant %(grant)s; own contribution %(own)s")
        % {"grant": format_amount(agreement.amount), "own": format_amount(own)},
        "area": call.area_id,
        "form": Form.SMALL_GRANT_19A if call.is_19a else Form.NEIGHBOURHOOD_FUND,
        "model_used": "",
        "year": call.year,
    }
    names = personal_names(agreement)
    for name in PRACTICE_TEXTS:
        fields[name] = redact(fields[name] or "", names)
    return fields


def purchase_names(purchase: Purchase) -> list[str]:
    """The natural persons a purchase's records name: the officials who asked for and
    estimated it, the supplier's contact person, a supplier who is a natural person."""
    names = [purchase.requested_by.get_full_name(), purchase.estimated_by]
    offer = purchase.awarded_offer
    if offer is not None:
        names.append(offer.supplier.contact_person)
        if offer.supplier.kind in NATURAL_PERSONS:
            names.append(offer.supplier.name)
    return [n for n in names if n and n.strip()]


def purchase_initial(purchase: Purchase) -> dict:
    """What a practice of a micro-purchase says before the official edits it."""
    fields = {
        "title": purchase.title,
        "what_was_done": purchase.accepted_scope or purchase.expected_result,
        "for_whom": "",
        "results": purchase.accepted_scope,
        "cost": purchase.contract_gross,
        "sources": _("the municipality's budget (net %(net)s)")
        % {"net": format_amount(purchase.contract_net)},
        "area": purchase.area_id,
        "form": Form.MICRO_PURCHASE,
        "model_used": str(purchase.get_legal_basis_display()),
        "year": purchase.year,
    }
    names = purchase_names(purchase)
    for name in PRACTICE_TEXTS:
        fields[name] = redact(fields[name] or "", names)
    return fields


def unique_slug(model, title: str, fallback: str) -> str:
    """A new, never reused address made from ``title``."""
    base = slugify(title)[:60].strip("-") or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _locked_source(agreement: Agreement | None, purchase: Purchase | None):
    """The settled initiative a practice comes from, locked: (its organisation, the
    names its records hold, the practice's link to it)."""
    if agreement is not None:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.state not in SETTLED:
            raise Conflict(_("Only a settled initiative can be published as a good practice."))
        return agreement.organisation, personal_names(agreement), {"agreement": agreement}
    purchase = (
        Purchase.objects.select_for_update(of=("self",))
        .select_related("awarded_offer__supplier", "requested_by", "organisation")
        .get(pk=purchase.pk)
    )
    if purchase.state not in ACCEPTED_PURCHASES:
        raise Conflict(
            _(
                "Only a micro-purchase whose result was accepted can be published as a "
                "good practice."
            )
        )
    return purchase.organisation, purchase_names(purchase), {"purchase": purchase}


@transaction.atomic
def practice_publish(
    *,
    actor: User,
    fields: dict,
    photo: dict | None = None,
    agreement: Agreement | None = None,
    purchase: Purchase | None = None,
) -> GoodPractice:
    """Publish a settled initiative (a grant ``agreement`` settled or a ``purchase``
    whose result was accepted) as a good practice. ``fields`` are the practice's
    (``consent_note`` and ``consent_given_on`` record the grantee's consent); every text
    is cleared of the personal data the records name; ``photo`` (image, caption,
    people_consented) is added only with the consent of the people shown."""
    source = agreement or purchase
    role_require(actor, source.organisation_id, Role.OFFICIAL)
    organisation, names, link = _locked_source(agreement, purchase)
    if GoodPractice.objects.filter(**link).exists():
        raise Conflict(_("This initiative is already published as a good practice."))
    if photo and photo.get("image") and not photo.get("people_consented"):
        raise InvalidInput(
            field_errors={"people_consented": [_("A photo needs the consent of the people shown.")]}
        )
    values = dict(fields)
    if isinstance(values.get("area"), int):  # as ``practice_initial`` gives it
        values["area_id"] = values.pop("area")
    for name in PRACTICE_TEXTS:
        values[name] = redact(values.get(name) or "", names)
    practice = GoodPractice(
        organisation=organisation,
        slug=unique_slug(GoodPractice, values["title"], "praktyka"),
        published_by=actor,
        published_at=timezone.now(),
        **link,
        **values,
    )
    practice.search_text = stemming.document(*(getattr(practice, name) for name in PRACTICE_TEXTS))
    try:
        practice.full_clean(exclude=["search_text"])
        practice.save()
    except IntegrityError as error:  # pragma: no cover - the checks above come first
        raise Conflict() from error
    if photo and photo.get("image"):
        PracticePhoto.objects.create(
            practice=practice,
            image=photo["image"],
            caption=redact(photo.get("caption") or "", names),
            people_consented=True,
        )
    audit_record(
        obj=practice,
        actor=actor,
        action="practice_publish",
        after={
            **{name: obj.pk for name, obj in link.items()},
            "slug": practice.slug,
            "consent_note": practice.consent_note,
            "consent_given_on": practice.consent_given_on,
        },
    )
    return practice


# The call's rules a programme carries: all but its own code, title, year, dates and
# budget line.
PROGRAMME_RULES = [
    name
    for name in CALL_RULE_FIELDS
    if name
    not in {"code", "title", "description", "year", "opens_at", "closes_at", "classification"}
]


def _plain(value):
    """A rule as JSON: an amount as text, an area of public tasks by its code (a call
    started from the programme takes the area if it is still in use)."""
    if isinstance(value, Area):
        return value.code
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def programme_publish(*, call: Call, actor: User, title: str, description: str, documents: str):
    """Publish ``call``'s rules as a programme others may start their calls from."""
    role_require(actor, call.organisation_id, Role.OFFICIAL)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    slug = unique_slug(Programme, title, "program")
    programme = Programme.objects.create(
        organisation=call.organisation,
        source_call=call,
        slug=slug,
        title=title.strip(),
        description=description,
        rules={name: _plain(getattr(call, name)) for name in PROGRAMME_RULES},
        criteria=[
            {"name": c.name, "description": c.description, "max_points": c.max_points}
            for c in call.criteria.all()
        ],
        cost_categories=[
            {"name": c.name, "cap_share": _plain(c.cap_share)} for c in call.cost_categories.all()
        ],
        checklist=[item.text for item in call.checklist.all()],
        documents=documents,
        published_by=actor,
        published_at=timezone.now(),
    )
    audit_record(
        obj=programme,
        actor=actor,
        action="programme_publish",
        after={"call": call.pk, "slug": slug},
    )
    return programme


def draft_dates(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """A new draft call opens in two weeks and closes a month later (edited before it
    is published)."""
    opens = (now + datetime.timedelta(days=14)).replace(hour=0, minute=0, second=0, microsecond=0)
    return opens, opens + datetime.timedelta(days=30)
