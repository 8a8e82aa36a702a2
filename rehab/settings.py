"""Settings for the rehabilitation planner: one module, every knob an environment variable.

With no environment at all the app runs for development: SQLite in var/, DEBUG on, a
filesystem Celery broker that needs no server. Production sets DEBUG=false, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL (see README.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from rehab.env import database_prepare_threshold, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=false) needs a long random SECRET_KEY "
            'in the environment; generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )
    # Development only: a fixed key is harmless when DEBUG is on and nothing is public.
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Canonical base of the FHIR export's own URLs (local CodeSystems at <base>CodeSystem/<name>, the check-in
# Questionnaire, identifier systems): stable names, not addresses the app serves (rehab/fhir/codes.py).
FHIR_CANONICAL_BASE = env_str("FHIR_CANONICAL_BASE", f"{SITE_URL}/fhir/").rstrip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "health_check",
    # Database triggers declared on models (the access log is append-only on PostgreSQL).
    "pgtrigger",
    "rehab",
    "frontend",
]

MIDDLEWARE = [
    # One log line per request (method, URL template, status, duration, user id); first, so it
    # times the whole stack and sees the 500 Django makes of an exception below it.
    "rehab.logs.RequestLogMiddleware",
    # The two API lanes, side by side: a patient's plain session logged with an API token, and a token's
    # GET of a plan's compact answer the cache holds, are answered here, without the middleware below
    # (with the same bytes and read audit); their answers get the headers those up to SessionMiddleware
    # put on every answer, as they would (rehab/api/lane_headers.py); anything else goes on
    # (rehab/api/checkin_fast.py, rehab/api/plan_get_fast.py).
    "rehab.api.checkin_fast.CheckInFastPath",
    "rehab.api.plan_get_fast.PlanGetFastLane",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (static files included).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store on every response Django makes (static files and /health/ aside).
    "rehab.headers.NoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in staff member's own language choice (User.language) over the browser's; a patient's
    # pages switch to the patient's language in frontend.patient.page.patient_page.
    "rehab.i18n.UserLanguageMiddleware",
    # request.user.is_verified(): whether this session passed the second sign-in step.
    "django_otp.middleware.OTPMiddleware",
    # Staff must pass (or set up) the second step before any other page when MFA_REQUIRED.
    "rehab.mfa.StaffMfaMiddleware",
    # Refuses sign-ins from an address with too many recent failures, on every login surface.
    "rehab.signin.SignInAddressThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user as the author of every history row written in a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Locks a username out after repeated failed sign-ins (django-axes); must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rehab.urls"
WSGI_APPLICATION = "rehab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections: opening a PostgreSQL connection per request costs more than most of
# our queries (keeping them doubled check-in throughput). Off under DEBUG because runserver starts
# a thread per request, so a kept connection would never be reused. Health checks test a kept
# connection before reuse, so a restarted database costs one retry instead of a 500.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the worker and beat read while one of them writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file, not shared-cache memory: a real worker thread and concurrent writers then
    # wait on SQLite's busy timeout instead of failing with "table is locked".
    # One file per test process, so two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, its kept connections' health checked without a SELECT 1 a request (rehab/postgresql).
    DATABASES["default"]["ENGINE"] = "rehab.postgresql"
    # The statements the hot paths send with their values apart (rehab.bulk_sql.server_bound_cursor: the
    # check-in, the API token and plan reads) are prepared on the server after this many runs on a
    # connection, so PostgreSQL stops planning them at every call: planning the check-in's token query
    # cost about six times running it. Django turns psycopg's preparing off by default; its own queries
    # are bound on the client and never prepared either way. "off" behind a pooler in transaction mode
    # that cannot keep prepared statements (PgBouncer without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = database_prepare_threshold(
        env_str("DATABASE_PREPARE_THRESHOLD", "5")
    )
    # A database that does not answer fails a new connection after this many seconds (libpq waits without
    # limit by default), and TCP keepalives find a kept connection's vanished server in about a minute.
    DATABASES["default"]["OPTIONS"].update(
        {
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )

AUTH_USER_MODEL = "rehab.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that
# username is locked for AXES_COOLOFF_MINUTES from that address only: a stranger elsewhere cannot
# lock a clinician out, and one person's typos do not lock out a clinic's shared connection.
# The lock-out answer says until when (rehab/signin.py); so does the per-address throttle below.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rehab.signin.lockout_response"
AXES_VERBOSE = False
# Behind N reverse proxies the client address is the N-th from the right of X-Forwarded-For;
# 0 (the default) uses the connection's address. Both lock-out and throttle read it this way.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The lock-out, the address throttle and the read audit all take the client address from here.
AXES_CLIENT_IP_CALLABLE = "rehab.client_address.client_address"
# Per address, across every username: after this many failed sign-ins within
# SIGNIN_ADDRESS_WINDOW_MINUTES every login surface refuses that address until the window ends
# (guessing many usernames from one place). Set high enough for a clinic's shared connection.
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
SIGNIN_ADDRESS_WINDOW_MINUTES = env_int("SIGNIN_ADDRESS_WINDOW_MINUTES", 15)

# Multi-factor sign-in for staff (TOTP app + one-time recovery codes, django-otp). Required by
# default in production; off under DEBUG so the demo logins work without a phone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Rehab planner")
MFA_RECOVERY_CODES = 10

# API tokens (django-rest-knox): one per sign-in (per device), stored hashed, revocable
# (logout, logout-all), expiring after the role's lifetime.
API_TOKEN_TTL_STAFF_HOURS = env_int("API_TOKEN_TTL_STAFF_HOURS", 12)
API_TOKEN_TTL_PATIENT_DAYS = env_int("API_TOKEN_TTL_PATIENT_DAYS", 30)
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_LIMIT_PER_USER": env_int("API_TOKENS_PER_USER", 20)}

# Audit reasons are sentences (an override's reason, a decision's rules), not 100-character labels.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:login"

# How long a patient's sign-in (activation) link stays valid (seconds); default three days.
ACTIVATION_LINK_MAX_AGE = env_int("ACTIVATION_LINK_MAX_AGE", 3 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = ACTIVATION_LINK_MAX_AGE

# The languages shipped complete (locale/<code>/LC_MESSAGES/django.po, compiled .mo committed beside
# it). A patient reads their pages, PDFs and reminders in Patient.language (else their clinic's); staff
# in User.language (else what the browser asks for, through LocaleMiddleware). The catalogues are built
# with `manage.py makemessages` (Debian's gettext) and compiled with `manage.py compile_catalogues`
# (Python only, polib).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Email -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "rehab-planner@localhost")

# --- Web Push (patients' reminders; rehab/services/push.py) ----------------------------------
# A VAPID key pair (`python manage.py vapid_keys` makes one). With no keys, push is off and
# reminders go by email: nothing else changes. The subject is who the push services may contact.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", f"mailto:{DEFAULT_FROM_EMAIL}")
# The server POSTs to the endpoint a browser hands it: only these push services' hosts (and their
# subdomains) are accepted, so a subscription cannot point the server at an address of its choosing.
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,push.services.mozilla.com,web.push.apple.com,notify.windows.com",
)

# --- Text messages (sign-in links to a patient's phone; rehab/sms.py) ----------------------
# A dotted path to a class with send(message); empty switches text messages off (the production
# default: there is no SMS provider in the project, a deployment plugs its own in).
SMS_BACKEND = env_str("SMS_BACKEND", "rehab.sms.ConsoleBackend" if DEBUG else "")

# --- Cache (throttling, lock-out counters) ---------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("CACHE_URL"):
    # Django's RedisCache with one client per connection pool, not one per call (rehab/cache.py).
    # A Redis that stops answering costs a request at most this many seconds, then the cache reads as
    # empty in this process for CACHE_RETRY_AFTER seconds (rehab/cache.py).
    CACHE_SOCKET_TIMEOUT = env_int("CACHE_SOCKET_TIMEOUT", 1)
    CACHES = {
        "default": {
            "BACKEND": "rehab.cache.SharedClientRedisCache",
            "LOCATION": env_str("CACHE_URL"),
            "OPTIONS": {"socket_timeout": CACHE_SOCKET_TIMEOUT, "socket_connect_timeout": CACHE_SOCKET_TIMEOUT},
        }
    }
CACHE_RETRY_AFTER = env_int("CACHE_RETRY_AFTER", 5)

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 3)
# A Redis that stops answering without closing the connection (a failover, a dropped flow) would hold a
# publish, and its request, forever (kombu and redis-py wait without limit by default). After this many
# seconds a command fails: the work waits in the outbox, a red flag's follow-up runs inline (rehab.queue).
BROKER_SOCKET_TIMEOUT = env_int("BROKER_SOCKET_TIMEOUT", 3)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_keepalive": True,
}
_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: a real queue in a folder, shared by web, worker and beat.
    for _sub in ("queue", "processed", "control"):
        (_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Fail fast when the broker is down: the work is already safe in the outbox, and a request
# must not hang for a broker. The outbox drain retries later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("CELERY_BROKER_PUBLISH_RETRIES", 2),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# /health/ reports unavailable when queued work has waited longer than this (seconds); the
# outbox drain runs every minute, so a few minutes means the broker or beat is down.
HEALTH_OUTBOX_MAX_AGE = env_int("HEALTH_OUTBOX_MAX_AGE", 600)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Urgent work first: red-flag and red-pain follow-ups and their alert emails go to the "urgent"
# queue, consumed by a worker of its own (README "Processes"), so a queue full of emails never
# holds a follow-up back. Everything else stays on the default "celery" queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "rehab.tasks.checkin_follow_up": {"queue": "urgent"},
    "rehab.tasks.email_alert": {"queue": "urgent"},
    "rehab.tasks.follow_up_sweep": {"queue": "urgent"},
}
# A follow-up not done this many seconds after its check-in committed is logged as an ERROR
# ("follow-up lag") and /health/ reports it: the urgent worker is missing or overwhelmed.
FOLLOW_UP_LAG_ALERT_SECONDS = env_int("FOLLOW_UP_LAG_ALERT_SECONDS", 30)
# The urgent sweep (every minute) queues again every follow-up still not done this many seconds
# after it became due: a worker killed mid-task is retried within minutes, not after the broker's
# visibility timeout (an hour on Redis).
FOLLOW_UP_RETRY_AFTER = env_int("FOLLOW_UP_RETRY_AFTER", 120)
# An outbox message claimed for publishing but not published after this many seconds belongs to
# a process that died in between; the drain takes it over.
OUTBOX_CLAIM_TIMEOUT = env_int("OUTBOX_CLAIM_TIMEOUT", 120)
# The weekly sweep decides this many plans per task and transaction (rehab.services.sweep): larger
# chunks mean fewer queries per plan, smaller ones shorter locks and less lost on a killed worker.
SWEEP_CHUNK_SIZE = env_int("SWEEP_CHUNK_SIZE", 500)
# An email task's delivery claim not finished after this many seconds belongs to a worker that
# died while sending; the next delivery of the task takes it over.
DELIVERY_CLAIM_TIMEOUT = env_int("DELIVERY_CLAIM_TIMEOUT", 300)

# --- REST framework ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate makes an unauthenticated call a 401, not a 403.
        "rehab.api.token_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    # DRF's sliding windows, decided in one Redis round trip when the cache is Redis (rehab/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "rehab.api.throttling.AnonRateThrottle",
        "rehab.api.throttling.UserRateThrottle",
        "rehab.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
        "login": env_str("API_THROTTLE_LOGIN", "20/minute"),
    },
    # drf-spectacular, plus the 4xx each operation answers (rehab/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "rehab.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "rehab.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rehabilitation planner API",
    "DESCRIPTION": "FITT-VP exercise prescription with enforced load limits, check-ins and progression.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs page: anyone under DEBUG, signed-in staff otherwise (API_DOCS_PUBLIC).
    "SERVE_PERMISSIONS": ["rehab.api.permissions.DocsAccess"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BodyRegionEnum": "planner.vocabulary.BODY_REGIONS",
        "EquipmentEnum": "planner.vocabulary.EQUIPMENT",
        "CheckInKindEnum": "rehab.models.checkins.CheckInKind",
        "RoleEnum": "rehab.models.Role",
    },
    # `<id:...>` in API paths (rehab/api/ids.py): a record id of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
}

# --- Security (production) -----------------------------------------------------------------
# /api/schema/ and /api/docs/ are public only when this is on (default: DEBUG).
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)
# Content-Security-Policy (django-csp): our own origin only, no inline script, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of ours uses are switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)  # staff
PATIENT_SESSION_AGE = env_int("PATIENT_SESSION_AGE", 30 * 24 * 3600)  # patients, on their own phone
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# Logging: everything goes to the root logger's one console handler, so nothing prints twice.
# One line per request comes from rehab.logs.RequestLogMiddleware (runserver's own access line is
# dropped); django.request keeps only 5xx, each with its traceback once. LOG_FORMAT=json writes one
# JSON object per line (the default when DEBUG is off), for a log shipper.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_client_errors": {"()": "rehab.logs.DropClientErrors"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "rehab.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's defaults give "django" its own console handler too: every line came out twice.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"handlers": [], "filters": ["drop_client_errors"], "propagate": True},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

# seed_demo runs only where DEBUG was configured on (or with --force). Read here, at start-up,
# because test runners switch settings.DEBUG off for the tests themselves.
SEED_DEMO_ALLOWED = DEBUG

# Demo seeding only: the password given to the demo logins (documented in README.md).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "rehab-demo-2026")
