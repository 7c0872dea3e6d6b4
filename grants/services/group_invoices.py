"""The model "the operator pays the group's invoices" (DOMAIN.md section 1, model 3): no
money flows to the group; it submits its invoices and bills, the operator's official
approves each (``grants.workflow_groups``), which orders its payment to the seller
through finance, and the group's final report lists them as its expenses."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.permissions import users_with_role
from finance.models import PaymentOrder
from finance.services import payment_order_create
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record
from workflows.errors import Conflict, InvalidInput, NotPermitted

from ..models import Agreement, GroupInvoice, GroupModel, Report
from ..workflow import AgreementState
from ..workflow_groups import GroupInvoiceState
from .reports import report_save

INVOICE_FIELDS = (
    "budget_line_id",
    "number",
    "issued_on",
    "due_date",
    "seller_name",
    "seller_address",
    "seller_account",
    "description",
    "amount",
)
INVOICE_SUBMITTED_SUBJECT = gettext_lazy("A group submitted an invoice: %(agreement)s")
INVOICE_SUBMITTED_BODY = gettext_lazy(
    "The group of agreement %(agreement)s submitted invoice %(number)s of %(seller)s for "
    "approval and payment."
)


@transaction.atomic
def group_invoice_submit(*, agreement: Agreement, actor: User, fields: dict) -> GroupInvoice:
    """The group hands in an invoice or bill for the operator to pay to the seller."""
    agreement = Agreement.objects.select_related("application__call").get(pk=agreement.pk)
    application = agreement.application
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the group's leader submits the group's invoices."))
    if application.call.group_model != GroupModel.OPERATOR_PAYS:
        raise Conflict(_("Under this call the grant is paid to the grantee, not per invoice."))
    if agreement.state not in (AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION):
        raise Conflict(_("Invoices are paid while the agreement is signed and being carried out."))
    values = {k: v for k, v in fields.items() if k in INVOICE_FIELDS}
    if values.get("seller_account"):
        values["seller_account"] = str(values["seller_account"]).replace(" ", "")
    invoice = GroupInvoice(agreement=agreement, **values)
    errors: dict[str, list[str]] = {}
    try:
        invoice.full_clean(exclude=["agreement", "payment_order"])
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    lines = set(application.budget_lines.values_list("pk", flat=True))
    if invoice.budget_line_id not in lines and "budget_line" not in errors:
        errors["budget_line"] = [_("Choose a budget line of this application.")]
    if invoice.issued_on and invoice.due_date and invoice.due_date < invoice.issued_on:
        errors["due_date"] = [_("The payment is due on or after the invoice's date.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    invoice.save()
    audit_record(
        obj=invoice,
        actor=actor,
        action="group_invoice_submitted",
        after={"number": invoice.number, "amount": invoice.amount},
    )
    officials = users_with_role(agreement.organisation_id, Role.OFFICIAL)
    notify(
        recipients=[Recipient(email=u.email, user=u) for u in officials],
        kind="grants.group_invoice",
        subject=INVOICE_SUBMITTED_SUBJECT,
        body=INVOICE_SUBMITTED_BODY,
        url=f"/granty/umowy/{agreement.pk}/faktury/",
        about=invoice,
        context={
            "agreement": agreement.number,
            "number": invoice.number,
            "seller": invoice.seller_name,
        },
    )
    return invoice


def group_invoice_order_payment(invoice: GroupInvoice, *, actor: User) -> None:
    """Inside the approve transition: the invoice becomes a payment order to the seller."""
    agreement = invoice.agreement
    invoice.payment_order = payment_order_create(
        organisation=agreement.organisation,
        kind=PaymentOrder.Kind.INVOICE,
        source=invoice,
        beneficiary_name=invoice.seller_name,
        beneficiary_address=invoice.seller_address,
        account_number=invoice.seller_account,
        title=_("Invoice %(number)s, grant %(agreement)s")
        % {"number": invoice.number, "agreement": agreement.number},
        amount=invoice.amount,
        due_date=invoice.due_date,
        classification=agreement.application.call.classification,
        actor=actor,
    )


def invoice_expenses(agreement: Agreement) -> list[dict]:
    """The report's expenses: every approved invoice of the group, paid by the operator
    from the grant."""
    invoices = GroupInvoice.objects.filter(
        agreement=agreement, state=GroupInvoiceState.APPROVED
    ).order_by("issued_on", "pk")
    return [
        {
            "document_number": invoice.number,
            "document_date": invoice.issued_on,
            "issuer": invoice.seller_name,
            "purpose": invoice.description,
            "budget_line_id": invoice.budget_line_id,
            "amount": invoice.amount,
            "from_grant": invoice.amount,
        }
        for invoice in invoices
    ]


@transaction.atomic
def group_report_from_invoices(*, agreement: Agreement, actor: User, narrative: str) -> Report:
    """The group's final report with its expense list drawn from the approved invoices."""
    if agreement.application.call.group_model != GroupModel.OPERATOR_PAYS:
        raise Conflict(_("Under this call the grantee lists its expenses itself."))
    return report_save(
        agreement=agreement,
        actor=actor,
        narrative=narrative,
        expenses=invoice_expenses(agreement),
    )
