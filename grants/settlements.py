"""Rows of the settlement register (rejestr rozliczeń) for grants: one per agreement.

``agreement_settlement_rows`` returns agreements annotated with the register's columns
(see ``finance.settlements.COLUMNS``, which names them, gives their types and joins
these rows with those of purchases). Everything a row needs is computed by the
database in the same SELECT: payments as correlated subqueries on the tranches' paid
payment orders, the grant spending of the accepted report, the returns and their
interest, and the day the report was accepted from the workflow log. So a page or an
export of any length is one query.

Personal data: the applicant may be a natural person (an individual resident, or the
members of an informal group). The register carries the applicant's name, the
identifiers of an organisation (NIP, REGON, KRS; empty for natural persons) and the
account the grant is paid to; never a PESEL, a home address or a phone number.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Least, Round, TruncDate
from django_fsm_log.models import StateLog

from finance.settlements import budget_code
from finance.workflow import PaymentState

from .models import Agreement, Expense, GroupInvoice, Return, Tranche
from .models.agreements import register_date
from .workflow import ReportState

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _aggregate(queryset, function: str, field: str, output_field) -> Subquery:
    """One aggregate of a correlated subquery, without GROUP BY."""
    value = Func(F(field), function=function, output_field=output_field)
    return Subquery(queryset.order_by().values(value=value)[:1], output_field=output_field)


def _either(function, first, second):
    """The least or greatest of two dates either of which may be missing (SQLite's
    MIN/MAX of several values is NULL when one is)."""
    return function(
        Coalesce(first, second, output_field=DateField()),
        Coalesce(second, first, output_field=DateField()),
        output_field=DateField(),
    )


def agreement_settlement_rows(*, organisation_ids) -> QuerySet[Agreement]:
    """Agreements of these organisations with the register's columns annotated, and
    ``call_ref`` and ``classification_ref`` to filter on."""
    paid = Tranche.objects.filter(
        agreement_id=OuterRef("pk"), payment_order__state=PaymentState.PAID
    )
    # Under the operator-pays model no tranche is paid: the grant is paid out as the
    # group's approved invoices, each to its seller (``GroupInvoice.payment_order``).
    invoices = GroupInvoice.objects.filter(
        agreement_id=OuterRef("pk"), payment_order__state=PaymentState.PAID
    )
    returns = Return.objects.filter(agreement_id=OuterRef("pk"))
    accepted = StateLog.objects.filter(
        content_type__app_label="grants",
        content_type__model="report",
        object_id=OuterRef("report__pk"),
        state=ReportState.ACCEPTED,
    ).order_by("-timestamp")
    spent = Expense.objects.filter(report_id=OuterRef("report__pk"), eligible=True)
    return (
        Agreement.objects.filter(organisation_id__in=organisation_ids)
        .alias(
            call_ref=F("application__call_id"),
            classification_ref=F("application__call__classification_id"),
        )
        .annotate(
            process=Value("grant", output_field=CharField()),
            source_id=F("pk"),
            organisation_name=F("organisation__short_name"),
            ref_no=F("number"),
            ref_date=register_date(),
            subject=F("application__title"),
            programme=F("application__call__title"),
            beneficiary=F("application__applicant_name"),
            nip=F("application__nip"),
            regon=F("application__regon"),
            krs=F("application__krs"),
            account=F("application__account_number"),
            budget_code=budget_code("application__call__classification__"),
            granted=F("amount"),
            paid=Coalesce(
                _aggregate(paid, "SUM", "payment_order__amount", MONEY), ZERO, output_field=MONEY
            )
            + Coalesce(
                _aggregate(invoices, "SUM", "payment_order__amount", MONEY),
                ZERO,
                output_field=MONEY,
            ),
            paid_first=_either(
                Least,
                _aggregate(paid, "MIN", "payment_order__paid_on", DateField()),
                _aggregate(invoices, "MIN", "payment_order__paid_on", DateField()),
            ),
            paid_last=_either(
                Greatest,
                _aggregate(paid, "MAX", "payment_order__paid_on", DateField()),
                _aggregate(invoices, "MAX", "payment_order__paid_on", DateField()),
            ),
            used=Case(
                When(
                    report__state=ReportState.ACCEPTED,
                    then=Coalesce(
                        _aggregate(spent, "SUM", "from_grant", MONEY), ZERO, output_field=MONEY
                    ),
                ),
                default=None,
                output_field=MONEY,
            ),
            own_contribution=(
                F("application__own_money")
                + F("application__own_in_kind")
                + Round(
                    F("application__volunteer_hours") * F("application__volunteer_rate"),
                    precision=2,
                    output_field=MONEY,
                )
            ),
            report_submitted=TruncDate("report__submitted_at"),
            report_accepted=Subquery(
                accepted.values(day=TruncDate("timestamp"))[:1], output_field=DateField()
            ),
            to_return=_aggregate(returns, "SUM", "amount", MONEY),
            returned=_aggregate(returns.filter(returned_on__isnull=False), "SUM", "amount", MONEY),
            returned_on=_aggregate(returns, "MAX", "returned_on", DateField()),
            interest=_aggregate(returns, "SUM", "interest", MONEY),
            status=Concat(Value("grant:"), F("state"), output_field=CharField()),
        )
    )
