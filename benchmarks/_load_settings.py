"""Settings for benchmarks/load.py only: the product settings and the bare baseline view, with the
benchmark client standing as one trusted proxy in front of gunicorn.

Every rate limit stays on. The limit on sending requests (INTAKE_SENDS_PER_HOUR, 10 an hour from one
address) counts by address; behind one trusted proxy the address is the last one in X-Forwarded-For,
and the benchmark gives each family its own, as families on their own connections would have.
"""

from config.settings.base import *  # noqa: F403

# As benchmarks/_public_pages_settings.py: the product's URLs plus the bare view, DEBUG off, and no
# collected static files needed (pages only name them; nothing fetches them).
ROOT_URLCONF = "benchmarks._public_pages_urls"
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
TRUSTED_PROXY_COUNT = 1
# Alerts about staff opening many cases are still made and "sent": into memory, nowhere else.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
