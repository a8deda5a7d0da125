"""Settings for benchmarks/public_pages.py only: the product settings plus a baseline view's URL."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "benchmarks._public_pages_urls"
DEBUG = False
# Pages only name their static files here; nothing fetches them, so no collectstatic is needed.
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
