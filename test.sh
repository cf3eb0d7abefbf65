#!/usr/bin/env bash
# Runs every test suite of the repository. Installs what a fresh machine lacks first.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

# --- prerequisites -----------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# kubectl 1.30+ drives the simulator in the scenario tests; the versioned binaries sit beside it.
if command -v kubectl >/dev/null 2>&1; then
  export PORTHOLE_KUBECTL_DIR="${PORTHOLE_KUBECTL_DIR:-$(dirname "$(readlink -f "$(command -v kubectl)")")}"
fi

out=.test-out
rm -rf "$out"
mkdir -p "$out"

# --- .NET suites ---------------------------------------------------------------
log "dotnet build"
dotnet build Porthole.slnx -c Release -warnaserror --nologo -v minimal

log "dotnet test"
status=0
dotnet test Porthole.slnx -c Release --no-build --nologo \
  --logger "trx" --results-directory "$out" \
  --blame-hang-timeout 5m "$@" 2>&1 | tee "$out/dotnet-test.log" || status=$?

# --- Node suites: the kubecube terminal through the real sockjs-client ---------------
node_passed=0; node_failed=0
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  log "node --test (test/sockjs)"
  if [ ! -d test/sockjs/node_modules ] || [ test/sockjs/package-lock.json -nt test/sockjs/node_modules/.package-lock.json ]; then
    (cd test/sockjs && npm ci --no-audit --no-fund)
  fi
  (cd test/sockjs && node --test) 2>&1 | tee "$out/node-test.log" || status=$?
  node_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out/node-test.log" | tail -1)
  node_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out/node-test.log" | tail -1)
else
  echo "test.sh: node and npm are required for test/sockjs" >&2
  status=1
fi

# --- summary -------------------------------------------------------------------
passed=${node_passed:-0}; failed=${node_failed:-0}; skipped=0
while read -r line; do
  p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' <<<"$line"); failed=$((failed + ${f:-0}))
  s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line"); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)! ' "$out/dotnet-test.log" || true)

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the runner itself failed (build, crash or hang)
fi
echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
