"""The purchase page's parts that explain the splitting guard (art. 29-30 Pzp): the
counted purchases with their values, the sum against the threshold and the legal
basis, shown to whoever submits and beside the unit head's override form; and the
order of the actions (the primary first, cancelling last)."""

from django import forms
from django.utils.translation import gettext as _

from ..models import Purchase
from ..selectors import aggregate_for
from ..workflow import PurchaseState

OVERRIDE = "submit_with_override"
LAST = ("cancel",)
LONG_TEXT = 255


def splitting_refusal(purchase: Purchase) -> dict | None:
    """For a draft the guard would refuse now: the computation as a table's rows."""
    if (
        purchase.state != PurchaseState.DRAFT
        or purchase.threshold_overridden
        or not purchase.group_id
    ):
        return None
    result = aggregate_for(purchase)
    if result.admitted:
        return None
    return {
        "result": result,
        "counted": [
            {**row, "basis_label": _("awarded") if row["basis"] == "awarded" else _("estimate")}
            for row in result.counted
        ],
        "message": result.refusal_message(),
    }


def arrange_actions(actions: list[dict]) -> tuple[list[dict], dict | None]:
    """The actions in their order with cancelling last (a secondary button), and the
    unit head's override apart, to stand beside the computation it overrides. Long
    texts are typed in text areas."""
    override = None
    ordered = []
    for action in actions:
        for field in action["form"].fields.values():
            if isinstance(field, forms.CharField) and (field.max_length or 0) > LONG_TEXT:
                field.widget = forms.Textarea(attrs={"rows": 4, "maxlength": field.max_length})
        if action["option"].name == OVERRIDE:
            override = action
            continue
        action["secondary"] = action["option"].name in LAST
        ordered.append(action)
    ordered.sort(key=lambda a: a["secondary"])
    return ordered, override
