"""Settings, read from the environment in this one module.

Two modes, chosen by ``DJANGO_ENV``:

- ``embedded`` (default): runs with no services at all. SQLite in ``var/``, Celery
  tasks run eagerly in the web process, e-mail goes to the console, files go to
  ``var/media``. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` are honoured when given,
  which is how the test suite runs against PostgreSQL and Redis.
- ``production``: ``DJANGO_SECRET_KEY``, ``DATABASE_URL`` (PostgreSQL),
  ``CELERY_BROKER_URL`` and ``CACHE_URL`` (Redis) are required and have no defaults;
  HTTPS-only cookies, HSTS and static files served by WhiteNoise.

Every variable is listed in README.md.
"""

import os
import tomllib
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
# The release, from pyproject.toml (shown in the page footer and on /health/).
VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


DJANGO_ENV = env("DJANGO_ENV", "embedded")
if DJANGO_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'embedded' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = (
    required("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env("DJANGO_SECRET_KEY", "embedded-mode-only-not-a-secret")
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Applications -------------------------------------------------------------------

LOCAL_APPS = [
    "accounts",
    "workflows",
    "grants",
    "purchases",
    "documents",
    "finance",
    "notifications",
    "areas",
    "metropolis",
    "contracting",
    "attachments",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm_log",
    "django_celery_beat",
    "health_check",
    "csp",
    *LOCAL_APPS,
    "ops",
]

MIDDLEWARE = [
    # A request id for every log line of the request, and one JSON line per request.
    "ops.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ops.middleware.SecurityHeadersMiddleware",
    # WhiteNoise serves static files in both modes: the collected ones in production,
    # in the embedded mode straight from static/ and the apps (WHITENOISE_USE_FINDERS).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread",
                "ops.context_processors.version",
            ],
        },
    },
]

# Data ---------------------------------------------------------------------------

VAR_DIR = Path(env("DJANGO_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = required("DATABASE_URL") if PRODUCTION else env("DATABASE_URL")
DATABASES = {
    "default": (
        dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        if DATABASE_URL
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
    )
}
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: documents go through a download view
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `make run` collects nothing: WhiteNoise finds the files where they are, and sees edits.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

if env("DJANGO_STORAGE", "local") == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": required("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The cache holds the sign-in rate limits, which every web process must share.
CACHE_URL = required("CACHE_URL") if PRODUCTION else env("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The engine writes the transition log itself (workflows.log); django-fsm-log only stores it.
DJANGO_FSM_LOG_STORAGE_METHOD = "workflows.log.EngineWritesTheLog"

# Language and time ----------------------------------------------------------------

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# Accounts -----------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mikrowsparcia] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Failed sign-ins are limited per client and account together (the key is the client's
# address and the e-mail, see accounts.adapter), so nobody can lock a known address out
# from elsewhere; a looser limit per account alone still stops a distributed guessing.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_LOGIN_FAILED_PER_ACCOUNT = "50/h/key"
# The owner is told once their account sees this many failures in the window.
ACCOUNT_LOGIN_FAILED_NOTICE = (5, 60 * 60)
# Two-factor login (allauth.mfa): TOTP with recovery codes, and security keys where
# the browser offers them; required for staff before any other page (accounts.middleware).
INSTALLED_APPS += ["allauth.mfa"]
MIDDLEWARE += ["accounts.middleware.StaffMfaMiddleware"]
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Mikrowsparcia"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in the embedded mode only
# Required in production; the embedded demo (`make run`) lets its demo staff in with a
# password alone, so that the product can be tried without an authenticator app.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=PRODUCTION)

# E-mail -------------------------------------------------------------------------

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mikrowsparcia <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body must be an object (workflows.parsers.ObjectJSONParser).
    "DEFAULT_PARSER_CLASSES": [
        "workflows.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "workflows.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workflows.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mikrowsparcia API",
    "DESCRIPTION": "Micro-grants and micro-purchases of social services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workflows.schema.error_responses",
    ],
    # Several models have a field "kind" with its own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "ApplicantKindEnum": "grants.models.ApplicantKind",
        "ReturnKindEnum": "grants.models.Return.Kind",
        "PaymentOrderKindEnum": "finance.models.PaymentOrder.Kind",
        "SupplierKindEnum": "purchases.models.Supplier.Kind",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
    },
}

# Celery -------------------------------------------------------------------------

CELERY_BROKER_URL = required("CELERY_BROKER_URL") if PRODUCTION else env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is away must not stall a request: publishing tries once, briefly, and
# what is not published waits in the outbox (workflows.outbox) for the next flush.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker died unacknowledged goes to another worker after this many
    # seconds (Redis' default is an hour). It must exceed the longest run (the 100 000
    # row XLSX export takes ~22 s, a document a few) and the longest retry countdown
    # (240 s), or a task still running or waiting would be delivered twice; see README.
    "visibility_timeout": 300,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Documents render on their own queue, so that a deadline's PDFs do not hold up e-mails,
# timers and exports, and rendering can get workers of its own on other machines
# (`celery -A config worker -Q documents -c N`, see README). A worker started without
# -Q consumes both queues, so a single worker (and the embedded mode) still renders.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("documents"))
CELERY_TASK_ROUTES = {"documents.tasks.*": {"queue": "documents"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's tables when beat starts; editable in the admin.
CELERY_BEAT_SCHEDULE = {
    "fire-due-timers": {"task": "workflows.tasks.fire_due_timers", "schedule": 60.0},
    "flush-outbox": {"task": "workflows.tasks.flush_outbox", "schedule": 60.0},
    "daily-digest": {
        "task": "notifications.tasks.send_daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
}
# With a broker, a relay process (`manage.py outbox_relay`, Procfile's `outbox`) publishes
# the outbox's messages as their transactions commit, polling every OUTBOX_RELAY_SECONDS;
# requests then leave publishing to it (#18: the publishing and marking after the commit
# were a tenth of a submit's time in the web worker). False: each request publishes its
# own messages after its commit. Either way beat's minute flush publishes what is left.
OUTBOX_RELAY = env_bool("OUTBOX_RELAY", default=PRODUCTION and not CELERY_TASK_ALWAYS_EAGER)
OUTBOX_RELAY_SECONDS = float(env("OUTBOX_RELAY_SECONDS", "0.5"))
# Without a worker and beat (tasks run eagerly, as under `make run`) the web process
# fires due timers and flushes the outbox itself every this many seconds, in a daemon
# thread (workflows.embedded); 0 turns it off.
EMBEDDED_LOOP_SECONDS = int(
    env("EMBEDDED_LOOP_SECONDS", "60" if CELERY_TASK_ALWAYS_EAGER and not PRODUCTION else "0")
)

# The address of the product, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The OCDS publisher prefix of open data's ocids (registered with the Open Contracting
# Partnership; the default is a placeholder). See docs/metropolis.md.
OPEN_DATA_OCID_PREFIX = env("OPEN_DATA_OCID_PREFIX", "ocds-mwsp00")

# Security -----------------------------------------------------------------------

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The pages load nothing from elsewhere and run no inline script or style (Swagger UI
# is served in the split form, its start-up script a file of its own). Images may be
# data: URIs (Swagger UI's icons). ops.middleware adds Permissions-Policy, and
# Cache-Control: no-store on everything a signed-in user is sent.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# A session lasts one working day from sign-in (not two weeks, Django's default) and
# ends when the browser closes: staff sign in on shared office computers. Override
# with DJANGO_SESSION_COOKIE_AGE (seconds); see README.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ACCOUNT_SESSION_REMEMBER = False
# Preloading HSTS into browsers is a per-domain decision a municipality makes on its
# own (it cannot be undone quickly), so it is off by default; see README.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# The splitting guard's covering index (purchase_counted_idx) carries its amounts as
# non-key columns on PostgreSQL; SQLite, the embedded demo's database, keeps only its key.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Logs go to the standard error, which systemd's journal (or honcho) collects. In
# production one JSON object a line (ops.logging: time, level, logger, message,
# request_id, user_id, task_id; e-mail addresses and PESEL numbers are masked).
DJANGO_LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if DJANGO_LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # One line per request from ops.logging.RequestIdMiddleware; gunicorn's access log
    # is off. (Quiet outside production, where runserver prints its own.)
    "loggers": {"ops.request": {"level": "INFO" if PRODUCTION else "WARNING"}},
}
# The worker and beat write through the same handler (Celery keeps its hands off).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports: set SENTRY_DSN (and install sentry-sdk) to send them; no personal
# data is sent (send_default_pii is off).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install sentry-sdk."
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", DJANGO_ENV),
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Attachments (the attachments app, for every process): the largest file anyone may
# attach, in bytes, and the ClamAV daemon that scans each file (a Unix socket path or
# tcp://host:port; empty: no scanning).
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10_000_000)))
ATTACHMENTS_CLAMD = env("ATTACHMENTS_CLAMD", "")

# Processes plug in through their hooks (<app>/hooks.py, workflows.processes): pending
# actions, commitments, settlement rows, order-paid handling, demo data.

# Documents ----------------------------------------------------------------------

# Years a document of a kind is kept, counted from 1 January of the year after it was
# stored, where the file plan says more than 5 (documents.retention): {"agreement": 10}.
DOCUMENTS_RETENTION_YEARS: dict[str, int] = {}

# WeasyPrint reports every rendering step at INFO; only its warnings are worth keeping.
LOGGING.setdefault("loggers", {})["weasyprint.progress"] = {"level": "WARNING"}
