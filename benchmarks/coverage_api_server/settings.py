"""The product's settings with the bare comparison view added and nothing throttled or in debug."""

from config.settings.base import *  # noqa: F403

DEBUG = False
PUBLIC_API_RATE_LIMIT = 0
ROOT_URLCONF = "benchmarks.coverage_api_server.urls"
