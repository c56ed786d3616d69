#!/usr/bin/env bash
# Start the Celery worker (with beat) in the background and the web server in the foreground;
# stop both together. Used by `make run`.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=${VENV:-.venv}/bin
mkdir -p var/log
"$PY/celery" -A inatrade worker --beat --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule >var/log/worker.log 2>&1 &
WORKER=$!
# The fake INSW receiver (permits/fake_insw.py) on the default loopback INSW_ENDPOINT.
"$PY/python" manage.py fake_insw >var/log/fake_insw.log 2>&1 &
FAKE_INSW=$!
trap 'kill $WORKER $FAKE_INSW 2>/dev/null || true; wait $WORKER $FAKE_INSW 2>/dev/null || true' EXIT INT TERM
echo
echo "INATRADE portal: http://$HOST:$PORT/  (worker log: var/log/worker.log, e-mails: var/mail/)"
echo "Stop with Ctrl+C."
"$PY/python" manage.py runserver "$HOST:$PORT" --noreload
