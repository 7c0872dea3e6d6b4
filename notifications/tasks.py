"""Sending e-mails of notifications, with retries; every attempt is logged."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import Delivery
from .services import delivery_record_attempt

MAX_RETRIES = 5


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_notification_email(self, delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    if delivery.status == Delivery.Status.SENT:
        return delivery.status
    notification = delivery.notification
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    context = {"notification": notification, "link": link}
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string("notifications/email.txt", context),
        to=[notification.email],
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    try:
        message.send()
    except Exception as exc:
        final = self.request.retries >= MAX_RETRIES
        delivery = delivery_record_attempt(delivery=delivery, error=exc, final=final)
        if final:
            return delivery.status
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
    delivery = delivery_record_attempt(delivery=delivery)
    return delivery.status


@shared_task
def send_daily_digest() -> int:
    """Each morning: for officials and finance, what waits for them, the deadlines of
    this week and what is overdue, in one message. Sent once a day per person."""
    from .digest import digest_send_all

    return digest_send_all()
