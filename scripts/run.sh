#!/usr/bin/env bash
# Set up and run the service with demo data: web server on 127.0.0.1:8000 and the background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.base}"
# The demo has no mail server: unless one is configured, each email is written to var/sent-emails/.
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
# Links in emails and on certificates point at the address this demo listens on.
export SITE_URL="${SITE_URL:-http://${BIND:-127.0.0.1:8000}}"
# The demo skips the staff second factor so that anyone can try it without an authenticator app.
export STAFF_SECOND_FACTOR="${STAFF_SECOND_FACTOR:-false}"
py=.venv/bin/python
$py manage.py migrate --no-input
$py manage.py install_site_content
$py manage.py build_postcode_index
$py manage.py load_demo_data
$py manage.py load_demo_coverage
$py manage.py load_demo_cases
$py manage.py load_demo_meetings
$py manage.py collectstatic --no-input --verbosity 0

pids=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "Stopping the web server and the worker"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# config/gunicorn.conf.py: the address, the workers and an access log that cannot be forged.
$py -m gunicorn -c config/gunicorn.conf.py config.wsgi:application &
pids+=($!)
$py manage.py run_worker --interval 1 &
pids+=($!)

echo "The service is running at http://${BIND:-127.0.0.1:8000}/ with the background worker. Press Ctrl-C to stop both."
wait -n "${pids[@]}"
