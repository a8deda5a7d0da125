"""Settings for benchmarks/load.py only: the public pages benchmark's settings (the product settings and
the bare baseline view) with the benchmark client standing as one trusted proxy in front of gunicorn.

Every rate limit stays on. The limit on sending requests (INTAKE_SENDS_PER_HOUR, 10 an hour from one
address) counts by address; behind one trusted proxy the address is the last one in X-Forwarded-For,
and the benchmark gives each family its own, as families on their own connections would have.
"""

from benchmarks._public_pages_settings import *  # noqa: F403

TRUSTED_PROXY_COUNT = 1
# Alerts about staff opening many cases are still made and "sent": into memory, nowhere else.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
