"""Django settings, all from environment variables (listed with their defaults in the README).

Two ways to run with the same code:
- embedded (default): SQLite in SMECYBER_DATA_DIR, Celery with kombu's filesystem transport (no broker to
  install), a file-based cache;
- production: DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis or RabbitMQ), SMECYBER_CACHE_URL (Redis),
  SMECYBER_HTTPS=true behind a TLS-terminating proxy.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/smecyber
DATA_DIR = Path(env_str("SMECYBER_DATA_DIR", "var")).resolve()
DEBUG = env_bool("SMECYBER_DEBUG", False)


def _secret_key() -> str:
    """SMECYBER_SECRET_KEY, or (embedded mode only) a random key kept in the data directory."""
    key = env_str("SMECYBER_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SMECYBER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_URL = env_str("SMECYBER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("SMECYBER_CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "smecyber.web",
    "smecyber.accounts",
    "smecyber.assets",
    "smecyber.scans",
    "smecyber.assessments",
    "smecyber.surveys",
    "smecyber.incidents",
    "smecyber.reports",
    "smecyber.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

MIDDLEWARE = [
    "smecyber.web.middleware.CookiePolicyMiddleware",  # outermost: sees every cookie set on the way out
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "smecyber.accounts.middleware.RequireTwoFactorMiddleware",
    "smecyber.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "smecyber.web.urls"
WSGI_APPLICATION = "smecyber.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "smecyber.web.context.platform",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------------
_sqlite_default = f"sqlite:///{DATA_DIR / 'smecyber.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _sqlite_default), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT spends ~65 ms compiling each big aggregate query, more than it saves (bench/platform_*)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# --- cache (login throttling, rate limits) ----------------------------------------------------------------
_cache_url = env_str("SMECYBER_CACHE_URL")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
else:
    # shared by every process of one machine (web and worker), unlike the per-process memory cache
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache"),
                          # cached dashboards: one overview per SME and language (the default keeps 300)
                          "OPTIONS": {"MAX_ENTRIES": 20000}}}

# --- passwords, sessions, cookies -------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

HTTPS = env_bool("SMECYBER_HTTPS", False)  # true when the site is served over TLS (production)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SMECYBER_SESSION_SECONDS", 60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SMECYBER_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SMECYBER_BEHIND_PROXY", HTTPS) else None
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0  # two years, as the Observatory and hstspreload.org ask
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False  # preloading is the operator's decision
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- accounts (django-allauth) ----------------------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[smecyber] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Failed logins are throttled per IP and per account (allauth rate limits, kept in the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("SMECYBER_LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "smecyber.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "smecyber"

# --- email ------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("SMECYBER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("SMECYBER_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SMECYBER_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("SMECYBER_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("SMECYBER_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("SMECYBER_EMAIL_TLS", True)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")  # used by the file backend (the demo's mailbox)
DEFAULT_FROM_EMAIL = env_str("SMECYBER_FROM_EMAIL", "smecyber <noreply@localhost>")

# --- languages --------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("sv", "Svenska"), ("lv", "Latviešu"), ("lt", "Lietuvių")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("SMECYBER_TIME_ZONE", "Europe/Stockholm")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- background work (Celery) -----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),  # exchange tables; kombu's default is ./control in the cwd
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # An unacknowledged task comes back after this long; our own lease (SCAN_LEASE_SECONDS) is faster.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("SMECYBER_TASKS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- the scanner, as the platform runs it -------------------------------------------------------------------
SCAN_NAMESERVERS = env_list("SMECYBER_SCAN_NAMESERVERS")  # empty: the system resolver (/etc/resolv.conf)
SCAN_CA_FILE = env_str("SMECYBER_SCAN_CA_FILE") or None
SCAN_ALLOW_LOOPBACK = env_bool("SMECYBER_SCAN_ALLOW_LOOPBACK", False)  # the demo's lab only
SCAN_TIMEOUT = float(env_int("SMECYBER_SCAN_TIMEOUT", 10))
SCAN_TOTAL_TIMEOUT = float(env_int("SMECYBER_SCAN_TOTAL_TIMEOUT", 120))
SCAN_LEASE_SECONDS = env_int("SMECYBER_SCAN_LEASE_SECONDS", 60)  # a running scan silent this long is reclaimed
SCAN_MAX_ATTEMPTS = env_int("SMECYBER_SCAN_MAX_ATTEMPTS", 3)
SCAN_SCHEDULE_DAYS = env_int("SMECYBER_SCAN_SCHEDULE_DAYS", 7)
SWEEP_CHUNK = env_int("SMECYBER_SWEEP_CHUNK", 16)  # domains per sweep task (scanned concurrently)

# Aggregates over fewer SMEs than this are not shown (a group of one is a named SME).
AGGREGATE_MIN_GROUP = env_int("SMECYBER_AGGREGATE_MIN_GROUP", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SMECYBER_LOG_LEVEL", "WARNING")},
}
