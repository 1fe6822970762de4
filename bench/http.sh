#!/usr/bin/env bash
# HTTP benchmark of the public side: `rcf serve --workers 2` against wrk.
#
#     bench/http.sh [--count 10000] [--contact-points 3] [--duration 10] [--connections 32]
#                   [--port PORT] [--postgres]
#
# Creates a throwaway SQLite database in a temporary RCF_DATA_DIR (--postgres: a throwaway
# PostgreSQL database rcf_bench_PID on 127.0.0.1:5432, user postgres, dropped at the end,
# or the server of BENCH_POSTGRES_URL=postgres://user@host:port), migrates it, creates the
# signing keys, generates a registry of --count certificates (bench/make_registry.py, bulk
# inserts), starts `rcf serve --workers 2` in production mode, then runs wrk on each endpoint
# (--connections connections, --duration seconds, after a short warm-up), each request
# rotating over 200 valid certificates (searches over 15 queries, 3 of them misspelt). Prints
# requests/s, p95 and p99 latency, errors and the throughput of each endpoint relative to the
# /healthz run just before it; exits 1 when a target is missed:
#   each endpoint >= 0.7 x /healthz throughput, no error, p99 < 50 ms;
#   registry searches with 4 connections ("@4"): p95 <= 30 ms, no error;
#   registry searches with --connections: service time <= 2 x /healthz's, i.e. throughput
#   >= 0.5 x /healthz (2 workers kept busy: a request's service time is 1 / throughput).
#   the phone check (GET /api/v1/phone-check, over --contact-points telephone contact points per
#   certificate, rotating over 200 declared and 100 undeclared numbers): >= 0.7 x /healthz and,
#   at 4 connections, p95 < 20 ms.
# The server and the temporary directory are removed at the end, whatever happens.
set -euo pipefail

COUNT=10000
CONTACT_POINTS=3
DURATION=10
CONNECTIONS=32
PORT=""
POSTGRES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --contact-points) CONTACT_POINTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    *) echo "usage: $0 [--count N] [--contact-points K] [--duration S] [--connections C] [--port P] [--postgres]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${RCF_VENV:-$ROOT/.venv}/bin"
cd "$ROOT"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing wrk (apt-get)…" >&2
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "wrk is missing: install the Debian package « wrk » (as root: apt-get install wrk)" >&2
    exit 2
  fi
fi

if [ -z "$PORT" ]; then  # a free port: another server on a fixed one would be measured instead
  PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "port $PORT is already in use" >&2
  exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rcf-bench-http.XXXXXX")"
SERVER_PID=""
PG_SERVER="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
PG_DB="rcf_bench_$$"
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$POSTGRES" ]; then
    psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# shellcheck source=bench/production_env.sh
. "$ROOT/bench/production_env.sh"
bench_production_env "$PORT" "$WORK"
if [ -n "$POSTGRES" ]; then
  psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
  export DATABASE_URL="$PG_SERVER/$PG_DB"
fi

echo "preparing $COUNT certificates in ${DATABASE_URL:-$RCF_DATA_DIR}…" >&2
"$BIN/rcf" migrate -v0
"$BIN/rcf" keys init >/dev/null
"$BIN/python" bench/make_registry.py --count "$COUNT" --contact-points "$CONTACT_POINTS" \
  --phones "$WORK/phones.txt" >"$WORK/numbers.txt" 2>/dev/null

"$BIN/rcf" serve --bind "127.0.0.1:$PORT" --workers 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  if curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

# Each request takes the next certificate number of the list; the report is one line.
cat >"$WORK/report.lua" <<'LUA'
local numbers, template, position = {}, "", 0
init = function(args)
  for line in io.lines(args[1]) do numbers[#numbers + 1] = line end
  template = args[2]
  position = math.random(#numbers)
end
request = function()
  position = position % #numbers + 1
  return wrk.format(nil, (template:gsub("{n}", numbers[position])))
end
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d/%d/%d/%d/%d\n",
    summary.requests / seconds, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
LUA


cpu_ticks() {  # CPU time used so far by the server (master and workers), in clock ticks
  local total=0 pid
  for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

run() {  # run NAME PATH-TEMPLATE [VALUES-FILE] [CONNECTIONS] → "NAME rps p95 p99 errors …"
  local line before after
  before=$(cpu_ticks)
  line=$(wrk -t2 -c"${4:-$CONNECTIONS}" -d"${DURATION}s" --latency -s "$WORK/report.lua" \
    "http://127.0.0.1:$PORT" -- "${3:-$WORK/numbers.txt}" "$2" | grep '^RESULT')
  after=$(cpu_ticks)
  echo "$1 ${line#RESULT } $((after - before))"
}

# Searches rotate over words that match from a few hundred to a few thousand companies of
# 100,000, and misspelt ones (near spellings).
printf '%s\n' telecom energie "mutuelle+nord" banque "assurances+ouest" credit voyages \
  "sante+provence" habitat "gaz+sas" optique "eau+bretagne" mutuele "telecm+bretagen" \
  electricte >"$WORK/words.txt"

# Warm-up: each worker renders each verification page once (a QR code takes ~15 ms to draw)
# and keeps it (rcf/registry/fragments.py); the measures are of a server that has been up.
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/healthz" >/dev/null
wrk -t2 -c8 -d15s -s "$WORK/report.lua" "http://127.0.0.1:$PORT" -- "$WORK/numbers.txt" "/verifier/{n}/" >/dev/null
for path in "/badge/{n}.svg" "/api/v1/certificates/{n}"; do
  wrk -t2 -c4 -d1s -s "$WORK/report.lua" "http://127.0.0.1:$PORT" -- "$WORK/numbers.txt" "$path" >/dev/null
done
wrk -t2 -c4 -d3s -s "$WORK/report.lua" "http://127.0.0.1:$PORT" -- "$WORK/words.txt" "/registre/?q={n}" >/dev/null
wrk -t2 -c4 -d2s -s "$WORK/report.lua" "http://127.0.0.1:$PORT" -- "$WORK/phones.txt" "/api/v1/phone-check?number={n}" >/dev/null

# Each endpoint right after its own /healthz run, and compared with it: on a shared machine
# the load of other jobs drifts from one minute to the next.
{
  for endpoint in "verifier /verifier/{n}/" "badge /badge/{n}.svg" \
    "api-certificate /api/v1/certificates/{n}"; do
    run healthz "/healthz"
    run $endpoint
  done
  run healthz "/healthz"
  run api-registry-search "/api/v1/registry?q={n}" "$WORK/words.txt"
  run healthz "/healthz"
  run registry-search "/registre/?q={n}" "$WORK/words.txt"
  run api-registry-search@4 "/api/v1/registry?q={n}" "$WORK/words.txt" 4
  run registry-search@4 "/registre/?q={n}" "$WORK/words.txt" 4
  run healthz "/healthz"
  run phone-check "/api/v1/phone-check?number={n}" "$WORK/phones.txt"
  run phone-check@4 "/api/v1/phone-check?number={n}" "$WORK/phones.txt" 4
} >"$WORK/results.txt"

status=0
"$BIN/python" - "$WORK/results.txt" "$COUNT" "$CONNECTIONS" "$DURATION" "$(getconf CLK_TCK)" <<'PY' || status=$?
import os, platform, sys

rows = [line.split() for line in open(sys.argv[1], encoding="utf-8")]
tick_ms = 1000 / int(sys.argv[5])
print(f"{sys.argv[2]} certificates, {os.environ.get('DATABASE_URL') and 'PostgreSQL' or 'SQLite'}, "
      f"{sys.argv[3]} connections, {sys.argv[4]} s each, "
      f"rcf serve --workers 2, machine {platform.processor() or platform.machine()}, "
      f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
print(f"{'endpoint':22} {'req/s':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'ratio':>6}"
      f" {'cpu ms/req':>10} {'cpu ratio':>9}  verdict")
failed = False
base = base_cpu = None
for name, rps, p95, p99, errors, requests, kinds, ticks in rows:
    cpu = int(ticks) * tick_ms / max(int(requests), 1)  # server CPU per request
    if name == "healthz":
        base, base_cpu = float(rps), cpu
    ratio, cpu_ratio = float(rps) / base, base_cpu / cpu if cpu else 0.0
    if "search" in name and name.endswith("@4"):
        ok = int(errors) == 0 and float(p95) <= 30
    elif "search" in name:
        ok = int(errors) == 0 and ratio >= 0.5
    elif name == "phone-check@4":
        ok = int(errors) == 0 and float(p95) < 20
    else:
        ok = int(errors) == 0 and float(p99) < 50 and ratio >= 0.7
    failed |= not ok
    errors_text = errors if errors == "0" else f"{errors} ({kinds} c/r/w/s/t)"
    print(f"{name:22} {float(rps):7.0f} {float(p95):7.1f} {float(p99):7.1f} {errors_text:>6} "
          f"{ratio:6.2f} {cpu:10.2f} {cpu_ratio:9.2f}  {'ok' if ok else 'MISSED'}")
print("ratio: req/s over the /healthz run just before; cpu ratio: server CPU per /healthz "
      "request over server CPU per request")
print("targets: >= 0.7 x /healthz, 0 errors, p99 < 50 ms; searches: >= 0.5 x /healthz "
      "(service time <= 2 x), and p95 <= 30 ms with 4 connections; phone-check@4: p95 < 20 ms")
sys.exit(1 if failed else 0)
PY
if [ "$status" != 0 ] && grep -q -E "Error|Traceback|Not Found|Invalid" "$WORK/server.log"; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -40 "$WORK/server.log" >&2
fi
exit "$status"
