"""WSGI entry point. In the embedded mode it also starts the loop that fires due timers
(``workflows.embedded``), as ``runserver`` loads it in the process that serves."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from workflows.embedded import embedded_loop_start  # noqa: E402 - needs Django set up

embedded_loop_start()
