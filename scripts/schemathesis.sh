#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with Schemathesis:
# starts `hep serve --demo` on a free port with a temporary SQLite database,
# signs in as the demo admin and runs `schemathesis run` with the checks
# not_a_server_error, status_code_conformance, response_schema_conformance,
# content_type_conformance and ignored_auth. Any violation fails the script.
#
# Schemathesis is installed from PyPI into a virtualenv that is reused
# (HEP_SCHEMATHESIS_VENV, default ~/.cache/hep/schemathesis-$VERSION). The
# server binary is HEP_BIN, else the debug build (built if missing).
# Bounded: HEP_SCHEMATHESIS_EXAMPLES cases per operation (default 10), each
# pass under HEP_SCHEMATHESIS_TIMEOUT seconds (default 300).
#
# Usage: scripts/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.32.5
VENV="${HEP_SCHEMATHESIS_VENV:-$HOME/.cache/hep/schemathesis-$VERSION}"
EXAMPLES="${HEP_SCHEMATHESIS_EXAMPLES:-10}"
PASS_TIMEOUT="${HEP_SCHEMATHESIS_TIMEOUT:-300}"
SEED="${HEP_SCHEMATHESIS_SEED:-1}"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "installing schemathesis $VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

if [ -n "${HEP_BIN:-}" ]; then
  bin="$HEP_BIN"
else
  cargo build --quiet --bin hep
  bin="${CARGO_TARGET_DIR:-target}/debug/hep"
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" serve --bind "127.0.0.1:$port" --database-url "$work/hep.sqlite3" --demo >"$work/server.log" 2>&1 &
server=$!

for _ in $(seq 1 120); do
  python3 -c "import urllib.request; urllib.request.urlopen('$base/readyz', timeout=2)" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "hep serve exited" >&2; exit 1; }
  sleep 0.5
done

token=$(python3 - "$base" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(
    sys.argv[1] + "/api/v1/sessions",
    data=json.dumps({"email": "admin@demo.hep.test", "password": "demo-password"}).encode(),
    headers={"Content-Type": "application/json"},
)
print(json.load(urllib.request.urlopen(request, timeout=30))["token"])
PY
)

checks=not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,ignored_auth
run() {
  (cd "$work" && timeout "$PASS_TIMEOUT" "$VENV/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks "$checks" \
    --max-examples "$EXAMPLES" \
    --max-response-time 5 \
    --request-timeout 10 \
    --seed "$SEED" \
    --generation-database none \
    --no-color \
    "$@")
}

started=$(date +%s)
status=0
# Signing out and deactivating or demoting clinicians can end the fuzzer's own
# session, so those two operations get a pass of their own, after the rest.
run --exclude-operation-id sign_out --exclude-operation-id update_clinician || status=$?
if [ "$status" = 0 ]; then
  run --include-operation-id update_clinician --include-operation-id sign_out || status=$?
fi
echo "schemathesis took $(($(date +%s) - started)) s"

# An internal error is logged as "request failed" even where the client
# was answered in time; there must be none.
if grep -q "request failed" "$work/server.log"; then
  echo "the server logged internal errors during the run:" >&2
  grep "request failed" "$work/server.log" | head -20 >&2
  status=1
fi
if [ "$status" != 0 ]; then
  echo "schemathesis found violations (exit $status)" >&2
fi
exit "$status"
