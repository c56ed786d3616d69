#!/usr/bin/env bash
# The test suite, as `make test` runs it.
#
# On PostgreSQL (DATABASE_URL set) the slow suites run beside the rest, each in its own
# database and Redis database so that their servers and workers never meet:
#   core   every test not marked e2e, crawl or stack
#   slow   the browser (e2e) and page-crawl (crawl) suites
#   stack  the multi-process suites (gunicorn, Celery workers) marked stack
# Elsewhere (the embedded SQLite default) everything runs in one pytest.
# PYTEST_ARGS, when given, runs one pytest with those arguments instead.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"

if [ -n "${PYTEST_ARGS:-}" ] || [[ "${DATABASE_URL:-}" != postgres* ]]; then
  exec "$PY" -m pytest ${PYTEST_ARGS:-}
fi

logs="$(mktemp -d)"
base_redis="${REDIS_URL:-}"
redis_for() {  # redis_for N: the REDIS_URL with database N (empty stays empty)
  [ -z "$base_redis" ] && return
  echo "${base_redis%/*}/$1"
}

run_group() {  # run_group NAME DB_SUFFIX REDIS_DB MARK_EXPRESSION
  local name=$1 suffix=$2 redis_db=$3 marks=$4
  DATABASE_URL="${DATABASE_URL}${suffix}" REDIS_URL="$(redis_for "$redis_db")" \
    "$PY" -m pytest -m "$marks" >"$logs/$name.log" 2>&1
  echo $? >"$logs/$name.rc"
}

start=$(date +%s)
run_group core "" "${base_redis##*/}" "not e2e and not crawl and not stack" &
run_group slow "_slow" 11 "e2e or crawl" &
run_group stack "_stack" 12 "stack" &
wait

status=0
passed=0; failed=0; skipped=0; errors=0
for name in core slow stack; do
  rc=$(cat "$logs/$name.rc")
  echo "==================== suite: $name (exit $rc) ===================="
  cat "$logs/$name.log"
  summary=$(grep -E '^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s' "$logs/$name.log" | tail -n 1)
  for word in passed failed skipped error; do
    n=$(echo "$summary" | grep -oE "[0-9]+ ${word}" | grep -oE '^[0-9]+' || true)
    n=${n:-0}
    case $word in
      passed) passed=$((passed + n)) ;; failed) failed=$((failed + n)) ;;
      skipped) skipped=$((skipped + n)) ;; error) errors=$((errors + n)) ;;
    esac
  done
  # pytest exits 5 when a group selects no test; that is not a failure of the suite.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then status=1; fi
done
echo "==================== all suites: $(( $(date +%s) - start )) s ===================="
[ "$errors" -gt 0 ] && failed=$((failed + errors))
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
