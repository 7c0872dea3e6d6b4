"""E-mails of the purchase process, queued after commit with ids only."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation, Purchase
from .services import invitation_token, invitations_mark_sent


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


@shared_task(autoretry_for=(OSError,), retry_backoff=5, max_retries=5, acks_late=True)
def send_invitations(purchase_id: int) -> int:
    """E-mail each invited supplier a personal link to quote, valid until the deadline."""
    invitations = list(
        Invitation.objects.filter(purchase_id=purchase_id).select_related(
            "supplier", "purchase__organisation"
        )
    )
    with translation.override("pl"):
        for invitation in invitations:
            purchase = invitation.purchase
            context = {
                "purchase": purchase,
                "supplier": invitation.supplier,
                "deadline": timezone.localtime(purchase.quote_deadline),
                "link": site_url()
                + reverse("purchases:offer", args=[invitation_token(invitation)]),
            }
            send_mail(
                subject=render_to_string("purchases/email/invitation_subject.txt", context).strip(),
                message=render_to_string("purchases/email/invitation.txt", context),
                from_email=None,
                recipient_list=[invitation.supplier.email],
            )
    invitations_mark_sent(purchase_id=purchase_id, invitation_ids=[i.pk for i in invitations])
    return len(invitations)


@shared_task(autoretry_for=(OSError,), retry_backoff=5, max_retries=5, acks_late=True)
def notify_award(purchase_id: int) -> None:
    """Tell the chosen supplier the order is theirs."""
    purchase = Purchase.objects.select_related("organisation", "awarded_offer__supplier").get(
        pk=purchase_id
    )
    supplier = purchase.awarded_offer.supplier
    with translation.override("pl"):
        context = {"purchase": purchase, "supplier": supplier}
        send_mail(
            subject=render_to_string("purchases/email/award_subject.txt", context).strip(),
            message=render_to_string("purchases/email/award.txt", context),
            from_email=None,
            recipient_list=[supplier.email],
        )
