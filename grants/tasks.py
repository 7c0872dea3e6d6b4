"""Grant side effects that leave the database: e-mails. Tasks take ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _


@shared_task(autoretry_for=(OSError,), retry_backoff=10, max_retries=5)
def send_submission_confirmation(application_id: int) -> None:
    from .models import Application

    application = Application.objects.select_related("call", "applicant").get(pk=application_id)
    with translation.override(application.applicant.language or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Application %(number)s received") % {"number": application.number},
            message=_(
                "We received your application “%(title)s” to the call “%(call)s” as number "
                "%(number)s. A PDF copy is available in your applications."
            )
            % {
                "title": application.title,
                "call": application.call.title,
                "number": application.number,
            },
            from_email=None,
            recipient_list=[application.applicant.email],
        )
