#!/usr/bin/env bash
# Load test of hep with wrk (Debian package `wrk`): builds the release
# binary, serves it on a fresh SQLite file (or a fresh PostgreSQL database
# with --postgres), seeds one clinic with N patients, each with a published
# 5-exercise program and a share link, through the public JSON API
# (scripts/load/seed.py), then measures at C connections:
#   GET /p/{token}, GET /api/v1/programs/{id}, PUT /api/v1/programs/{id},
#   GET /api/v1/programs/{id}/handout.pdf
# and prints req/s, p50/p90/p99 and errors (non-2xx + socket errors).
#
# Usage: scripts/load.sh [--postgres] [--seconds S] [--connections C]
#                        [--patients N] [--only page|get|put|pdf] [--pictures]
# --pictures gives every exercise the programs use a photo-sized picture
# first, so each handout carries five pictures.
# Everything runs on 127.0.0.1 and stops by itself.
#
# The share-link space is limited per client IP (120/min by default); wrk is
# one IP, so the server runs with --link-requests-per-minute 100000000.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=20
CONNECTIONS=64
THREADS=2
PATIENTS=1000
BACKEND=sqlite
ONLY=""
PICTURES=0
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) BACKEND=postgres ;;
    --seconds) SECONDS_PER_RUN="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --patients) PATIENTS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --pictures) PICTURES=1 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ -n "${HEP_BIN:-}" ]; then
  BIN="$HEP_BIN" # a binary built earlier, e.g. to compare two versions
else
  echo "== building the release binary"
  cargo build --release --quiet --bin hep
  BIN="${CARGO_TARGET_DIR:-target}/release/hep"
fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
PG_DB=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$BACKEND" = postgres ]; then
  PG_DB="hep_load_$$"
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $PG_DB" >/dev/null
  DB_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"
else
  DB_URL="$WORK/hep.sqlite3"
fi

EMAIL="admin@load.example"
PASSWORD="load-test-password-1"
HEP_ADMIN_PASSWORD="$PASSWORD" "$BIN" clinic create --name "Load Test Clinic" \
  --admin-email "$EMAIL" --database-url "$DB_URL" >/dev/null

echo "== serving on $BASE ($BACKEND)"
RUST_LOG="${RUST_LOG:-info}" "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$DB_URL" \
  --base-url "$BASE" --link-requests-per-minute 100000000 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$BASE/healthz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

echo "== seeding $PATIENTS patients through the API"
HEP_LOAD_PICTURES="$PICTURES" python3 scripts/load/seed.py "$BASE" "$EMAIL" "$PASSWORD" "$PATIENTS" "$WORK"
cp scripts/load/*.lua "$WORK/"
export HEP_LOAD_DIR="$WORK" HEP_LOAD_THREADS="$THREADS"

# CPU time the server process has used, in clock ticks (user + system).
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

run() {
  local name="$1" script="$2" secs="$3"
  local out before
  before=$(server_ticks)
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s --latency -s "$WORK/$script" "$BASE" 2>&1)
  printf '%s\n' "$out" >"$WORK/${script%.lua}.txt"
  local result
  result=$(printf '%s\n' "$out" | grep '^RESULT' || true)
  [ -n "$result" ] || { printf '%s\n' "$out"; return 1; }
  # Server CPU per request: steadier than req/s when wrk and other
  # processes share the cores.
  local requests cpu_us
  requests=$(printf '%s\n' "$result" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
  cpu_us=$(( ( $(server_ticks) - before ) * 1000000 / TICKS_PER_SECOND / (requests > 0 ? requests : 1) ))
  echo "$name ${result#RESULT } server_cpu_us_per_request=$cpu_us"
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== warm-up (5 s of patient pages, not reported)"
run warmup page.lua 5 >/dev/null

echo "== $CONNECTIONS connections, $THREADS wrk threads, ${SECONDS_PER_RUN} s each"
for case in page get put pdf; do
  [ -z "$ONLY" ] || [ "$ONLY" = "$case" ] || continue
  case "$case" in
    page) run "GET /p/{token}" page.lua "$SECONDS_PER_RUN" ;;
    get) run "GET /api/v1/programs/{id}" program_get.lua "$SECONDS_PER_RUN" ;;
    put) run "PUT /api/v1/programs/{id}" program_put.lua "$SECONDS_PER_RUN" ;;
    pdf) run "GET /api/v1/programs/{id}/handout.pdf" handout.lua "$SECONDS_PER_RUN" ;;
  esac
  echo "   (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
done
if grep -qiE 'panicked|ERROR' "$WORK/server.log"; then
  echo "== server log has errors:"; grep -iE 'panicked|ERROR' "$WORK/server.log" | head -20
fi
