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
