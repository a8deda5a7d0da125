"""Settings for the test suite: fast hashing, local email, immediate tasks."""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Off unless a test asks for it (the real-server test of the limits across workers sets it).
PUBLIC_API_RATE_LIMIT = env_int("PUBLIC_API_RATE_LIMIT", 0)  # noqa: F405
# Kept public pages live in this process only; conftest.py empties the store before each test, since a
# page kept by one test would outlive that test's database.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
AXES_ENABLED = True
# Tests sign in with force_login; the second factor's own tests switch it on.
STAFF_SECOND_FACTOR = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Uploads are scanned only in the tests that start their own clamd.
CLAMD_SOCKET = ""
