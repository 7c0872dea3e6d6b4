"""Sending e-mails of notifications, with retries; every attempt is logged."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Delivery
from .services import delivery_record_attempt, notification_texts_store

MAX_RETRIES = 5


def _backoff(retries: int) -> int:
    return min(240, 10 * 2**retries)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_notification_email(self, delivery_id: int) -> str:
    """Send a notification's e-mail once: a message published twice (the outbox is at
    least once) finds the delivery sent, or held by the other run, and does nothing.
    A failed attempt is logged and retried with backoff."""
    status, error = _attempt(delivery_id, final=self.request.retries >= MAX_RETRIES)
    if error is None or status == Delivery.Status.FAILED:
        return status
    raise self.retry(exc=error, countdown=_backoff(self.request.retries))


@shared_task(acks_late=True)
def send_notification_emails(delivery_ids: list[int]) -> list[str]:
    """The e-mails of one event's notifications, published once. Each is tried here in
    turn; one that fails goes on alone as ``send_notification_email``'s first retry,
    with the same backoff and the same number of attempts in all."""
    statuses = []
    for delivery_id in delivery_ids:
        status, error = _attempt(delivery_id, final=False)
        if error is not None:
            send_notification_email.apply_async(
                kwargs={"delivery_id": delivery_id}, countdown=_backoff(0), retries=1
            )
        statuses.append(status)
    return statuses


def _attempt(delivery_id: int, *, final: bool) -> tuple[str, Exception | None]:
    """One attempt at a delivery's e-mail, logged; the delivery's status after it (or
    "busy", "gone") and the error when it failed."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return ("busy" if Delivery.objects.filter(pk=delivery_id).exists() else "gone"), None
        if delivery.status == Delivery.Status.SENT:
            return delivery.status, None
        error = _send(delivery)
        delivery = delivery_record_attempt(
            delivery=delivery, error=error, final=final and error is not None
        )
    return delivery.status, error


def _send(delivery: Delivery) -> Exception | None:
    notification = delivery.notification
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    with translation.override(_language(notification)):
        subject, body = notification.rendered()
        notification_texts_store(notification=notification, subject=subject, body=body)
        context = {
            "notification": notification,
            "subject": subject,
            "body": body,
            "link": link,
            "language": translation.get_language(),
            **_unsubscribe(notification),
        }
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[notification.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:
        return exc
    return None


def _language(notification) -> str:
    """The recipient's preferred language when the e-mail leaves (Polish by default)."""
    user = notification.recipient
    return (getattr(user, "language", "") or "pl") if user is not None else "pl"


def _unsubscribe(notification) -> dict:
    """An optional message to a user carries a link that turns its kind off (accounts)."""
    if notification.essential or notification.recipient_id is None:
        return {}
    from accounts.preferences import message_kind_label
    from accounts.tokens import unsubscribe_token

    token = unsubscribe_token(notification.recipient, notification.kind)
    path = reverse("accounts:unsubscribe", args=[token])
    return {
        "unsubscribe": f"{settings.SITE_URL}{path}",
        "unsubscribe_label": message_kind_label(notification.kind.split(".", 1)[0]),
    }


@shared_task
def send_daily_digest() -> int:
    """Each morning: for officials and finance, what waits for them, the deadlines of
    this week and what is overdue, in one message. Sent once a day per person."""
    from .digest import digest_send_all

    return digest_send_all()
