"""Polku settings: one module, driven by the environment (twelve-factor).

``POLKU_ENVIRONMENT`` selects the profile:

* ``development`` (default): convenient local defaults, embedded SQLite database,
  e-mail printed to the console, second factor optional.
* ``production``: every secret must come from the environment (start-up fails fast
  with ``ImproperlyConfigured`` otherwise), HTTPS only, HSTS, secure cookies and a
  second factor required for every professional.

All variables are listed with their defaults in ``.env.example``.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("POLKU_ENVIRONMENT", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("POLKU_ENVIRONMENT must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"


def _required_in_production(name: str, development_default: str) -> str:
    """Return the variable; in production a missing value stops start-up."""
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when POLKU_ENVIRONMENT=production.")
    return development_default


SECRET_KEY = _required_in_production(
    "SECRET_KEY", "development-only-secret-key-that-is-long-enough-to-be-accepted-0123456789"
)
# Identity codes are stored encrypted (Fernet; the first key encrypts, every key decrypts,
# so keys can be rotated with `manage.py rotate_identity_keys`) with a keyed hash (HMAC)
# for exact lookup. Development derives both from SECRET_KEY; production must set them.
POLKU_IDENTITY_KEYS = env.list(
    "POLKU_IDENTITY_KEYS", default=[] if PRODUCTION else ["development-identity-key"]
)
POLKU_IDENTITY_LOOKUP_KEY = _required_in_production(
    "POLKU_IDENTITY_LOOKUP_KEY", "development-identity-lookup-key"
)
if PRODUCTION and not POLKU_IDENTITY_KEYS:
    raise ImproperlyConfigured("POLKU_IDENTITY_KEYS must be set when POLKU_ENVIRONMENT=production.")
# The access log is sealed with a keyed chain (HMAC-SHA256): the first key seals, every key
# verifies, and each seal names its key, so keys rotate by putting a new key first and
# keeping the old ones while their seals are kept (docs/deployment.md).
POLKU_AUDIT_SEAL_KEYS = env.list(
    "POLKU_AUDIT_SEAL_KEYS", default=[] if PRODUCTION else ["development-access-log-seal-key"]
)
if PRODUCTION and not POLKU_AUDIT_SEAL_KEYS:
    raise ImproperlyConfigured(
        "POLKU_AUDIT_SEAL_KEYS must be set when POLKU_ENVIRONMENT=production."
    )
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when POLKU_ENVIRONMENT=production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets Polku's own page (templates/403_csrf.html), as do 400, 403, 404
# and 500 (templates/<status>.html, rendered by Django's default handlers).
CSRF_FAILURE_VIEW = "polku.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "polku.core",
    "polku.accounts",
    "polku.audit",
    "polku.policy",
    "polku.clients",
    "polku.pathways",
    "polku.measures",
    "polku.employment",
    "polku.projects",
    "polku.insights",
    "polku.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "polku.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Background work (alerts, reminders, reports) goes through Django's task framework with a
# database-backed queue; `manage.py db_worker` runs it, `manage.py enqueue_daily_tasks`
# (from cron or a systemd timer) schedules the daily work.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Error pages and mailed error reports never show local variables or posted values: they
# hold clients' personal data (polku/core/error_reports.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "polku.core.error_reports.PersonalDataSafeFilter"

ROOT_URLCONF = "polku.urls"
WSGI_APPLICATION = "polku.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "polku" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polku.policy.context_processors.permissions",
            ],
        },
    },
]

# Database: DATABASE_URL decides (postgres://… in production and CI); the embedded
# SQLite file is the development default.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'polku.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production (a new PostgreSQL connection per request costs more
# than most pages); behind a transaction-mode pooler set DATABASE_CONN_MAX_AGE=0.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite (the demo's server and task worker share one file): write-ahead logging lets
# readers go on while one writes; every transaction takes the write lock when it begins
# (IMMEDIATE), so that a reader never fails at once with "database is locked" when it
# starts to write, but waits its turn; and a writer waits up to 20 seconds for the lock
# (the busy timeout) before it gives up.
SQLITE_BUSY_TIMEOUT_SECONDS = 20
# On PostgreSQL the application connects as a role that may only append to the access log;
# `manage.py migrate` connects as the tables' owner given here (docs/deployment.md).
POLKU_MIGRATION_DATABASE_URL = env.str("POLKU_MIGRATION_DATABASE_URL", default="")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Second factor: required for every professional in production; optional in development.
POLKU_REQUIRE_SECOND_FACTOR = env.bool("POLKU_REQUIRE_SECOND_FACTOR", default=PRODUCTION)
OTP_TOTP_ISSUER = "Polku"

# Lockout after repeated failures, counted per user name and per address together so that
# an attacker cannot lock a professional out from elsewhere, and applied the same way to
# names that do not exist (the response never reveals whether a user exists).
AXES_FAILURE_LIMIT = env.int("POLKU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("POLKU_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "polku.accounts.views.locked_out"
AXES_ENABLED = env.bool("POLKU_LOGIN_LOCKOUT", default=True)
AXES_VERBOSE = False
# How many of our own proxies stand in front of the app; the lockout and the access log
# take the client's address the same way (polku.core.requests.client_address).
POLKU_PROXY_COUNT = env.int("POLKU_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "polku.core.requests.client_address"

# Looking a person up by identity code (or by name and birth date at registration) tells
# whether they are a client and their name: each user may do it this many times an hour.
POLKU_IDENTITY_LOOKUPS_PER_HOUR = env.int("POLKU_IDENTITY_LOOKUPS_PER_HOUR", default=30)
if POLKU_IDENTITY_LOOKUPS_PER_HOUR < 1:
    raise ImproperlyConfigured("POLKU_IDENTITY_LOOKUPS_PER_HOUR must be at least 1.")

# Sessions end after a period of inactivity: every request renews the expiry.
SESSION_COOKIE_AGE = env.int("POLKU_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Internationalisation: Finnish is the default; Swedish and English are shipped.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "polku_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Outside production WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="polku@localhost")
# The address of this Polku in links sent by e-mail (answer links, password reset).
POLKU_BASE_URL = env.str("POLKU_BASE_URL", default="http://127.0.0.1:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages (polku/core/sms.py): the backend's dotted path. Unset, development prints
# them with the console backend (or appends them to POLKU_SMS_FILE when that is set) and
# production sends none.
POLKU_SMS_BACKEND = env.str("POLKU_SMS_BACKEND", default="") or (
    "" if PRODUCTION else "polku.core.sms.ConsoleBackend"
)
POLKU_SMS_FILE = env.str("POLKU_SMS_FILE", default="")
# The sender shown on the phone: at most 11 letters and digits.
POLKU_SMS_SENDER = env.str("POLKU_SMS_SENDER", default="Polku")
# The canonical base of Polku's FHIR definitions (Questionnaire URLs, the instrument
# extension, one CodeSystem per instrument scale). It need not resolve, but must stay the
# same for as long as exported resources are in use.
POLKU_FHIR_BASE_URL = env.str("POLKU_FHIR_BASE_URL", default="https://polku.invalid/fhir")

# Security headers. X-Frame-Options DENY and nosniff everywhere; HTTPS-only in production.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

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
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
