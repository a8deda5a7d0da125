"""Settings shared by every environment. Anything that varies is read from the environment."""

import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from config.brand import brand
from config.caches import default_cache
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY when set; otherwise keep one random key per installation under var/."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form that fails the CSRF check gets a page in the site's own layout and words.
CSRF_FAILURE_VIEW = "sendmediation.website.views.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Before the accounts app, whose admin takes the TOTP device admin away (it shows the secret).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sendmediation.common",
    "sendmediation.accounts",
    "sendmediation.localities",
    "sendmediation.statutory",
    "sendmediation.intake",
    "sendmediation.cases",
    "sendmediation.meetings",
    "sendmediation.agreements",
    "sendmediation.feedback",
    "sendmediation.reports",
    "sendmediation.notifications",
    "sendmediation.dataprotection",
    "sendmediation.website",
    "sendmediation.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sendmediation.common.middleware.PermissionsPolicyMiddleware",
    "sendmediation.common.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sendmediation.website.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF, which gives each visitor a token for the forms on a kept page; before everything a
    # kept page for an anonymous visitor does not need.
    "sendmediation.website.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before the sign-in check, so that a session idle too long is signed out and sent to sign in.
    "sendmediation.accounts.staff_sessions.StaffSessionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sendmediation.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of other apps' templates (the Django admin's frame).
        "DIRS": [BASE_DIR / "sendmediation" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendmediation.website.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sendmediation.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# WAL lets the worker and the web server read while the other writes. The busy timeout comes first, so
# that the switch to WAL, which needs the file to itself for a moment, waits for another process's
# connection rather than failing ("database is locked").
SQLITE_INIT_COMMAND = "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": SQLITE_INIT_COMMAND, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:staff_home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Lock an account out after repeated failed sign-ins (per user name and address).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# One person opening more than this many different cases within an hour emails every manager.
ACCESS_ALERT_CASES_PER_HOUR = env_int("ACCESS_ALERT_CASES_PER_HOUR", 50)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Staff give a code from an authenticator app after their password before any staff page opens.
STAFF_SECOND_FACTOR = env_bool("STAFF_SECOND_FACTOR", default=True)
# Hours a manager's link to set up an authenticator app works for (it works once).
SECOND_FACTOR_INVITATION_HOURS = env_int("SECOND_FACTOR_INVITATION_HOURS", 72)
# Minutes without a request after which a signed-in person is signed out; warned 2 minutes before.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# `manage.py backup` writes its archives here unless told otherwise (docs/deployment.md).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# Where pg_dump and pg_restore are; empty: the newest /usr/lib/postgresql/*/bin, then the PATH.
PG_BIN = env_str("PG_BIN", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Where the file backend (the demo's default, see scripts/run.sh) writes each message it "sends".
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Kestrel SEND Mediation <no-reply@kestrel-mediation.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# How long personal data is kept (docs/data-protection.md and the privacy page are made from this).
# Each period is in "days" or "years"; `manage.py apply_retention` (daily in the worker) applies it.
RETENTION = {
    "request_drafts": {"days": 7},
    "declined_requests": {"days": 90},
    "closed_cases": {"years": 6},
    "sent_emails": {"days": 90},
    "access_log": {"years": 2},
}

# The load_demo_* commands run only where this is on; production settings turn it off.
DEMO_DATA_ALLOWED = True

# Requests per minute per client on the public API; 0 turns the limit off.
PUBLIC_API_RATE_LIMIT = env_int("PUBLIC_API_RATE_LIMIT", 60)
# Requests per minute per staff API token (and address); 0 turns the limit off.
STAFF_API_RATE_LIMIT = env_int("STAFF_API_RATE_LIMIT", 300)
# How many proxies you run in front of the service, each adding the address it was reached from to
# X-Forwarded-For. The rate limits count per client address: with N, it is the Nth address from the
# right; with 0, the address of the connection. Too high lets a client choose its own address (and so
# escape every limit); too low counts all clients as the proxy. docs/deployment.md explains.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Days a new staff API token works for.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

# Uploads (docs/deployment.md, "Uploaded files"). Decision letters one address may upload to
# different requests in a day, and the total size of letters held in unsent requests; 0 for no limit.
INTAKE_LETTERS_PER_ADDRESS_PER_DAY = env_int("INTAKE_LETTERS_PER_ADDRESS_PER_DAY", 10)
INTAKE_LETTER_BUDGET_BYTES = env_int("INTAKE_LETTER_BUDGET_MB", 1024) * 1024 * 1024
# clamd's Unix socket: when set, every upload is scanned, and refused while clamd cannot answer.
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)

# Shared by every worker: the database cache, or Redis when REDIS_URL is set (config/caches.py).
CACHES = {"default": default_cache(env_str("REDIS_URL"))}

# The public CMS pages as anonymous visitors see them (sendmediation/website/page_cache.py and
# docs/decisions/0011-page-cache.md). Every worker must read, and stop reading, the same copies, so the
# store is shared: files under VAR_DIR on one machine; with several servers, a cache they all reach,
# such as django.core.cache.backends.db.DatabaseCache (LOCATION a table made by createcachetable).
PAGE_CACHE_BACKEND = env_str("PAGE_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache")
_page_cache: dict[str, Any] = {
    "BACKEND": PAGE_CACHE_BACKEND,
    "LOCATION": env_str(
        "PAGE_CACHE_LOCATION",
        str(VAR_DIR / "page-cache") if PAGE_CACHE_BACKEND.endswith(".FileBasedCache") else "page_cache",
    ),
    "TIMEOUT": env_int("PAGE_CACHE_SECONDS", 60 * 60 * 24),
    "OPTIONS": {"MAX_ENTRIES": 2_000},
}
CACHES["pages"] = _page_cache

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            # One line per message: a line break in a logged path cannot forge another line.
            "()": "sendmediation.common.gunicorn_logging.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines can carry postcodes and names in query strings: keep them out of logs.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Wagtail: the public pages, edited by staff at /cms/.
INSTALLED_APPS += [
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]
# Editors who change a page's slug leave a redirect behind; it answers only where there would be a 404.
MIDDLEWARE += ["wagtail.contrib.redirects.middleware.RedirectMiddleware"]
WAGTAIL_SITE_NAME = brand()["service_name"]
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Staff passwords are the accounts app's business (lock-out, one sign-in page), not the CMS's.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL  # pages that staff make private
# Nothing in the admin calls out of the server.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "rtf", "txt", "csv", "xlsx", "mp4", "webm", "vtt"]
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain", "text/vtt", "video/mp4", "video/webm"]
# Every document and picture an editor uploads passes the upload check (docs/deployment.md, "Uploaded files").
WAGTAILDOCS_DOCUMENT_FORM_BASE = "sendmediation.website.cms_uploads.CheckedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "sendmediation.website.cms_uploads.CheckedImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 300 * 1024 * 1024  # a few minutes of captioned video
# The page editor posts one field per block; long pages pass Django's default of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
