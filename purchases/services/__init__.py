"""Every write of the micro-purchase process.

State changes go through ``workflows.engine.transition_apply``; the rows a transition
brings along (invitations, scores, the invoice and its payment order, the order paid)
are written by the services below, which the transitions in ``purchases.workflow``
call, in the transition's transaction.
"""

from .common import (
    CENT,
    DRAFT_FIELDS,
    TOKEN_SALT,
    VAT_PERCENT,
    gross_for,
)
from .execution import (
    annex_add,
    invoice_order_paid,
    invoice_order_pay,
    invoice_record,
)
from .needs import (
    aggregation_lock,
    purchase_create,
    purchase_update,
)
from .offers import (
    invitation_create,
    invitation_from_token,
    invitation_token,
    invitations_create,
    invitations_mark_sent,
    offer_record,
    offer_reject,
    offer_submit,
    offer_submit_public,
    offers_score,
)
from .regulation import (
    regulation_row_save,
    same_kind_group_save,
    value_band_add,
    value_band_change,
    value_band_end,
)
from .suppliers import (
    supplier_create,
    supplier_update,
)

__all__ = [
    "CENT",
    "DRAFT_FIELDS",
    "TOKEN_SALT",
    "VAT_PERCENT",
    "aggregation_lock",
    "annex_add",
    "gross_for",
    "invitation_create",
    "invitation_from_token",
    "invitation_token",
    "invitations_create",
    "invitations_mark_sent",
    "invoice_order_paid",
    "invoice_order_pay",
    "invoice_record",
    "offer_record",
    "offer_reject",
    "offer_submit",
    "offer_submit_public",
    "offers_score",
    "purchase_create",
    "purchase_update",
    "regulation_row_save",
    "same_kind_group_save",
    "supplier_create",
    "supplier_update",
    "value_band_add",
    "value_band_change",
    "value_band_end",
]
