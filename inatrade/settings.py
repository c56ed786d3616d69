"""The one settings module, read from the environment.

With no environment at all the portal runs on an embedded default: SQLite under ``var/``,
Celery on a filesystem transport (a real worker and beat, no broker to install), e-mails
printed to the console and written under ``var/mail``. ``DATABASE_URL`` switches to
PostgreSQL, ``REDIS_URL`` to Redis as broker and cache. ``INATRADE_ENV=production``
turns on the deployment hardening and requires the secrets to come from the environment.

Every value goes through django-environ's typed readers, which raise on a malformed value
(``DEBUG=maybe`` or ``UPLOAD_MAX_BYTES=big`` stop the process instead of guessing).
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Under pytest the default is "test" (eager Celery, fast hashing, private files in var/test).
ENVIRONMENT = env.str("INATRADE_ENV", default="test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"INATRADE_ENV must be development, test or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"
VAR_DIR = Path(env.str("INATRADE_VAR_DIR", default=str(BASE_DIR / "var" / ("test" if TESTING else ""))))


def _required_in_production(name: str, dev_default: str) -> str:
    if PRODUCTION:
        return env.str(name)  # raises ImproperlyConfigured when missing
    return env.str(name, default=dev_default)


SECRET_KEY = _required_in_production(
    "SECRET_KEY", "dev-only-insecure-key-0f9c2b7e4d1a8c3b5e6f7a9d0c1b2e3f4a5b6c7d8e9f"
)
# SEC-06: the audit chain's HMAC key, never the SECRET_KEY (docs/decisions/0011). Rotating it
# makes the existing chain unverifiable: keep it as long as the audit log.
AUDIT_HMAC_KEY = _required_in_production("AUDIT_HMAC_KEY", "dev-only-audit-chain-key-7d3e1f0a9b8c")
if PRODUCTION and AUDIT_HMAC_KEY == SECRET_KEY:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must differ from SECRET_KEY")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The UPTP I counter where applicants bring their registration documents (P123 Pasal 1
# angka 3 gives the address); shown on the registration's end page.
UPTP_I_ADDRESS = env.str(
    "UPTP_I_ADDRESS", default="Gedung Kementerian Perdagangan, Jalan M.I. Ridwan Rais Nomor 5, Jakarta Pusat 10110")
UPTP_I_HOURS = env.str("UPTP_I_HOURS", default="Senin–Jumat 08.00–16.00 WIB, kecuali hari libur nasional")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "inatrade",
    "reference",
    "accounts",
    "permits",
    "api_registry",
    "sugar_import",
    "workspace",
    "webhooks",
]

MIDDLEWARE = [
    "inatrade.middleware.RequestLogMiddleware",  # request id, one JSON line, metrics (issue 19)
    # Every error under /api/ answers JSON in api.md's shape, DEBUG on or off (inside the request log).
    "inatrade.api.errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "inatrade.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inatrade.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.AccessGuardMiddleware",
    # Axes must come last: it turns a locked-out login into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inatrade.urls"
WSGI_APPLICATION = "inatrade.wsgi.application"
ASGI_APPLICATION = "inatrade.asgi.application"

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
                "inatrade.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker) share the file: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis down a read is a miss and a write is dropped (REL-07).
            "BACKEND": "inatrade.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "inatrade",
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=1.0),
            },
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccessRightBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
# HA-10: a password-reset link is good for 24 hours, like the set-password link (HA-08).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
# HA-09: a password older than this must be changed before anything else.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=180)

# HA-11: 5 failures for one user id in 15 minutes lock that user id for 15 minutes.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# The client address is taken from X-Forwarded-For only behind this many trusted reverse
# proxies (default none: REMOTE_ADDR). DRF, axes and the HTML throttles read it through
# inatrade.throttling.client_address (issue 15 item 4).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "inatrade.throttling.client_address"
# HA-11 locks a *user id*, not an address: many importers share one office NAT. Addresses are
# rate-limited separately by the login throttle (THROTTLE_LOGIN) instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and private files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded and issued files live outside every public path and are served only through views
# that check access (SEC-05). There is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# STORAGE_URL selects where every stored file goes (issue 19, docs/decisions/0017):
#   empty (default)                  the filesystem under PRIVATE_MEDIA_ROOT (one machine);
#   s3://BUCKET[/PREFIX]?endpoint_url=http://minio:9000&region=us-east-1
#                                    an S3-compatible object store shared by every node
#                                    (credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
# Code reads and writes stored files only through default_storage (save/open/delete/exists).
STORAGE_URL = env.str("STORAGE_URL", default="")


def _default_storage(url: str) -> dict:
    if not url:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/private-not-served/"},
        }
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(f"STORAGE_URL must be empty or s3://bucket[/prefix]?..., not {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "endpoint_url": query.pop("endpoint_url", None),
        "region_name": query.pop("region", None) or query.pop("region_name", None),
        "addressing_style": query.pop("addressing_style", "path"),
        "default_acl": None,  # private: the bucket's policy, never public-read
        "querystring_auth": True,  # no public URLs: files are streamed through views (SEC-05)
        "file_overwrite": False,  # a generated name never replaces another file
        "signature_version": "s3v4",
    }
    if query:
        raise ImproperlyConfigured(f"STORAGE_URL has unknown options: {', '.join(sorted(query))}")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _default_storage(STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
POWER_OF_ATTORNEY_MAX_BYTES = env.int("POWER_OF_ATTORNEY_MAX_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES * 5
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="inatrade.mail.ConsoleAndFileBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="INATRADE <no-reply@inatrade.example.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SEC-06: where the daily audit_anchor job appends the chain head (an operator keeps this file
# off the database server; the same line is e-mailed to ADMIN_NOTIFICATION_EMAILS).
AUDIT_ANCHOR_FILE = Path(env.str("AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit-anchors.jsonl")))
ADMIN_NOTIFICATION_EMAILS = env.list("ADMIN_NOTIFICATION_EMAILS", default=["tim.pengelola@inatrade.example.go.id"])
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# P27 Pasal 41: the copies (tembusan) of API freeze, reactivation and revocation notices to
# the central offices, by api_registry.models.NoticeCopy. The Dinas offices of the company's
# province and Kab/Kota are reached through their officers' accounts.
API_TEMBUSAN_EMAILS = {
    "menteri": env.str("API_TEMBUSAN_MENTERI_EMAIL", default="tembusan.menteri@kemendag.example.go.id"),
    "direktur_impor": env.str("API_TEMBUSAN_DIREKTUR_IMPOR_EMAIL", default="direktorat.impor@kemendag.example.go.id"),
    # The name predates the other two; kept so existing deployments keep their address.
    "bea_cukai": env.str("API_CUSTOMS_NOTICE_EMAIL", default="notifikasi.api@beacukai.go.id"),
}

# --- Celery -----------------------------------------------------------------------------
# How long publishing a task may wait for the broker before the caller gives up (the work
# stays in its database outbox and the recovery sweep re-queues it: REL-07). Paid at most once
# per CELERY_BROKER_DOWN_MEMORY seconds per process: after a failed publish the process sends
# new work straight to the outbox for that long (inatrade/queue.py, docs/decisions/0012).
CELERY_BROKER_PUBLISH_TIMEOUT = env.float("CELERY_BROKER_PUBLISH_TIMEOUT", default=2.0)
CELERY_BROKER_DOWN_MEMORY = env.float("CELERY_BROKER_DOWN_MEMORY", default=10.0)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # Without it a connect to an unreachable host waits for the kernel (minutes).
        "socket_connect_timeout": CELERY_BROKER_PUBLISH_TIMEOUT,
    }
else:
    # Embedded default: a real worker and beat (started by `make run`) exchange messages
    # through files under var/celery. Nothing to install, and nothing silently skipped.
    _celery_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
# One queue name per deployment (several deployments, or test runs, may share a Redis server).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Names each tick so that a second beat started by mistake runs nothing twice (inatrade/beat.py).
CELERY_BEAT_SCHEDULER = "inatrade.beat:SlotScheduler"
from inatrade.schedule import BEAT_SCHEDULE as CELERY_BEAT_SCHEDULE  # noqa: E402

# --- REST API ---------------------------------------------------------------------------
# PERF-02: list counts are exact up to this many rows; above it a list says "10.000+" and the
# API answers count = the cap with count_capped = true (inatrade/pagination.py).
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=10_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HashedTokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "inatrade.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "inatrade.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "inatrade.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "inatrade.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
        "verify": env.str("THROTTLE_VERIFY", default="30/minute"),
        "login": env.str("THROTTLE_LOGIN", default="20/minute"),
        # Failed logins per client address, whatever user ids they try (password spraying).
        "login_failures": env.str("THROTTLE_LOGIN_FAILURES", default="30/hour"),
        # Anonymous registrations per client address, and per e-mail address / NPWP.
        "registration": env.str("THROTTLE_REGISTRATION", default="10/hour"),
        "registration_identity": env.str("THROTTLE_REGISTRATION_IDENTITY", default="5/day"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "INATRADE API",
    "DESCRIPTION": (
        "Hak Akses, API-U/API-P and sugar Persetujuan Impor (see the spec's api.md).\n\n"
        "[← Kembali ke portal INATRADE / Back to the INATRADE portal](/)"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI served from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: in Swagger UI each operation's path is then a link inside the summary
    # button, which screen readers cannot use (axe "nested-interactive", issue 17).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": True, "displayOperationId": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inatrade.api.schema.add_error_responses",
        "inatrade.api.openapi.document_operations",
    ],
}
# API tokens expire this long after they were issued, and die with a password change, a
# block, a revocation or an administrator's reset (issue 15 item 5, HA-09).
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=7 * 24)
# The most tariff lines one sugar application (or amendment) may carry (issue 15).
APPLICATION_MAX_LINES = env.int("APPLICATION_MAX_LINES", default=200)
# P14 Pasal 16(2): a sugar PI's monthly realisation report is due by this day of the next month
# (sugar_import renders it in the permit conditions, e-mails and pages; never retyped).
SUGAR_REPORT_DAY = env.int("SUGAR_REPORT_DAY", default=15)
# Idempotency-Key records are kept this long (REL-04).
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=48)

# --- Integrations -----------------------------------------------------------------------
INSW_ENDPOINT = env.str("INSW_ENDPOINT", default="http://127.0.0.1:8765/insw/permits")
INSW_TOKEN = _required_in_production("INSW_TOKEN", "dev-insw-token")
INSW_TIMEOUT_SECONDS = env.float("INSW_TIMEOUT_SECONDS", default=10.0)

# Webhooks (webhooks/, docs/decisions/0016-webhooks.md). WEBHOOKS_ALLOW_PRIVATE_HOSTS admits
# loopback/private receivers and plain http for them: for tests and local development only.
WEBHOOKS_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOKS_ALLOW_PRIVATE_HOSTS", default=False) and not PRODUCTION
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0)
WEBHOOKS_RETRY_MAX_ATTEMPTS = env.int("WEBHOOKS_RETRY_MAX_ATTEMPTS", default=15)

# --- Permits: signing PKI and documents (issue 4, permits/pki.py) -----------------------
# Per-official PKCS#12 files are SigningCertificate rows (admin); their passphrases come from
# the environment variable each row names. `manage.py dev_pki` fills PKI_DIR for development.
PKI_DIR = Path(env.str("PKI_DIR", default=str(VAR_DIR / "pki")))
PKI_DEV_PASSPHRASE = env.str("PKI_DEV_PASSPHRASE", default="" if PRODUCTION else "inatrade-dev-pki")
PKI_TRUST_ROOTS = env.list("PKI_TRUST_ROOTS", default=[])  # PEM/DER CA files; default PKI_DIR/ca.cert.pem
PKI_CRLS = env.list("PKI_CRLS", default=[])  # CRLs embedded as validation data; default PKI_DIR/ca.crl.der
PKI_TSA_URL = env.str("PKI_TSA_URL", default="")  # an RFC 3161 service; empty = the local dev TSA
PKI_TSA_CERT = env.str("PKI_TSA_CERT", default="")
PKI_TSA_KEY = env.str("PKI_TSA_KEY", default="")
PERMIT_PLACE = env.str("PERMIT_PLACE", default="Jakarta")
# How long a worker's claim on a version being signed lasts; a node that dies mid-signing holds
# it at most this long before the sweep takes the version over (REL-06).
PERMIT_SIGNING_LEASE_SECONDS = env.int("PERMIT_SIGNING_LEASE_SECONDS", default=600)
# --- end permits block ------------------------------------------------------------------

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Issue 15 item 1: a Content-Security-Policy on every response, no inline script or style
# anywhere (templates load static/js and static/css only). Stored files add their own,
# stricter policy (inatrade/files.py); the Swagger UI page widens images only (api/urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# X-Forwarded-Proto decides "is this request HTTPS?" only behind a proxy that sets it and
# strips the client's copy; gunicorn may be exposed directly (compose), so only when told.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Prometheus metrics at /metrics for `Authorization: Bearer <METRICS_TOKEN>`; empty = off (404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Logs: one JSON object per line with the request id (inatrade/jsonlog.py, inatrade/requestid.py);
# LOG_FORMAT=plain for text. The request log (inatrade.request) is one line per request.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "inatrade.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "inatrade.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"},
        # the request log is for operators of a running node; tests keep their output readable
        "inatrade.request": {"level": "WARNING" if TESTING else "INFO"},
        "django.server": {"level": "WARNING"},
    },
}
