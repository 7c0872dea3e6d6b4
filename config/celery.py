"""The Celery app. In the embedded mode (no broker configured) tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mikrowsparcia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
