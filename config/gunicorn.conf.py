"""gunicorn's settings: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
# The escaped raw path (never the query string), the status and the time taken.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(L)ss'
logger_class = "sendmediation.common.gunicorn_logging.EscapedPathLogger"
