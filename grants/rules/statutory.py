"""The statutory offer form's own checks (regulation of 24 October 2018): the register
named in full, and the parts of the own money not larger than the own money."""

from django.utils.translation import gettext as _

from documents.formatting import format_amount


def statutory_offer_rules(application, call, limits, lines, add) -> None:
    if bool(application.register_name) != bool(application.register_number):
        field = "register_number" if application.register_name else "register_name"
        add(field, _("Give both the register's name and the number in it."))
    parts = application.fees_from_beneficiaries + application.other_public_funds
    if parts > application.own_money:
        add(
            "fees_from_beneficiaries",
            _(
                "The fees from the beneficiaries and other public funds (%(parts)s) are part "
                "of the own money and cannot exceed it (%(own)s)."
            )
            % {"parts": format_amount(parts), "own": format_amount(application.own_money)},
        )


def partial_report_problem(agreement) -> str | None:
    """A partial report is made where the agreement is paid in tranches or its task
    runs over more than one budget year (art. 18 of the act; the agreement's terms)."""
    application = agreement.application
    years = {d.year for d in (application.start_date, application.end_date) if d}
    if agreement.tranches.count() > 1 or len(years) > 1:
        return None
    return _(
        "A partial report is made only when the grant is paid in tranches or the task runs "
        "over more than one year; this agreement has one tranche and one year."
    )
