#!/usr/bin/env bash
# HTTP benchmark of the observatory: `rcf serve --workers 2` against wrk, loopback only.
#
#     bench/observatory.sh [--count 100000] [--duration 10] [--connections 4]
#
# Builds a throwaway SQLite registry of --count certificates (bench/make_registry.py), starts
# the server, warms the page and every chart once per worker, then measures with wrk the
# page, each chart (SVG), the statistics file and the API: requests/s, p95, p99, errors.
# Then suspends one certificate (the service, as a certifier would) and checks that the very
# next request shows one valid certificate less, timing that first, cold request. Exits 1
# when a p95 is 50 ms or more, or the change is not seen.
set -euo pipefail

COUNT=100000
DURATION=10
CONNECTIONS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    *) echo "usage: $0 [--count N] [--duration S] [--connections C]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${RCF_VENV:-$ROOT/.venv}/bin"
cd "$ROOT"
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rcf-bench-observatory.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# shellcheck source=bench/production_env.sh
. "$ROOT/bench/production_env.sh"
bench_production_env "$PORT" "$WORK"

echo "preparing $COUNT certificates in $RCF_DATA_DIR…" >&2
"$BIN/rcf" migrate -v0
"$BIN/rcf" keys init >/dev/null
"$BIN/python" bench/make_registry.py --count "$COUNT" >"$WORK/numbers.txt" 2>/dev/null
trap 'cat "$WORK/server.log" >&2 || true; cleanup' ERR

# Each worker reads the registry in a thread as it starts (rcf.wsgi); on a busy machine a
# request waiting for that reading could outlast gunicorn's default 30 s worker timeout: give
# it room (the measures below are of warm workers).
GUNICORN_CMD_ARGS="--timeout 300" "$BIN/rcf" serve --bind "127.0.0.1:$PORT" --workers 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

CHARTS="certificats contributeurs carte canaux activites emploi contrats dossiers"
PATHS="/observatoire/ / /opendata/statistiques.json /api/v1/statistics"
for chart in $CHARTS; do PATHS="$PATHS /observatoire/graphiques/$chart.svg"; done

warm() {  # every path, several times, so that each worker has computed and drawn it
  local path
  for _ in 1 2 3 4; do
    for path in $PATHS; do curl -fs --max-time 300 -o /dev/null "http://127.0.0.1:$PORT$path"; done
  done
}
first=$(curl -fs --max-time 300 -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/observatoire/")
echo "first request ($COUNT certificates, while the workers read the registry as they start): ${first}s"
warm

cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
failed=0
printf '%-44s %8s %8s %8s %6s\n' endpoint "req/s" "p95 ms" "p99 ms" errors
for path in $PATHS; do
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/report.lua" \
    "http://127.0.0.1:$PORT$path" | grep '^RESULT')
  read -r _ rps p95 p99 errors <<<"$line"
  printf '%-44s %8s %8s %8s %6s\n' "$path@$CONNECTIONS" "$rps" "$p95" "$p99" "$errors"
  if [ "$errors" != 0 ] || awk -v p="$p95" 'BEGIN { exit !(p >= 50) }'; then failed=1; fi
done

# A change of status, made as a certifier would: the next request must show it.
valid() {
  curl -fs --max-time 300 "http://127.0.0.1:$PORT/opendata/statistiques.json" | "$BIN/python" -c '
import json, sys
rows = json.load(sys.stdin)
today = max(r["date"] for r in rows)
print(next(r["value"] for r in rows if r["date"] == today and r["indicator"] == "valid_certificates"))'
}
before=$(valid)
number=$(head -1 "$WORK/numbers.txt")
"$BIN/python" - "$number" <<'PY'
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcf.settings")
import django
django.setup()
from rcf.certification.models import Certificate
from rcf.certification.services.certificate import certificate_suspend
certificate_suspend(actor=None, certificate=Certificate.objects.get(number=sys.argv[1]), reason="bench")
PY
after_time=$(curl -fs --max-time 300 -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/observatoire/")
after=$(valid)
echo "suspension of $number: valid certificates $before -> $after; first page after it: ${after_time}s"
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a == b - 1) }' || failed=1
exit "$failed"
