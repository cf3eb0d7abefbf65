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

# Debian's chromium drives the browser end-to-end tests (test/e2e).
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium (Debian package)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi

# Debian's PostgreSQL serves the store tests (a cluster per test class, started by the fixture).
pg_bin_found() {
  command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
if ! pg_bin_found; then
  log "installing postgresql (Debian package)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
fi

# Installs a Node test project's packages when node_modules is missing or older than its lockfile.
npm_ci_if_needed() {
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    (cd "$1" && npm ci --no-audit --no-fund)
  fi
}

# Counts of node's test runner (`# pass N` / `# fail N`) in a log.
node_counts() {
  printf '%s %s\n' "$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1" | tail -1)" "$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1" | tail -1)"
}

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

# --- Node suites ----------------------------------------------------------------------
passed=0; failed=0; skipped=0
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  # The kubecube terminal through the real sockjs-client.
  log "node --test (test/sockjs)"
  npm_ci_if_needed test/sockjs
  (cd test/sockjs && node --test) 2>&1 | tee "$out/node-test.log" || status=$?
  read -r p f < <(node_counts "$out/node-test.log"); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

  # The web app's unit tests (Vitest); the dotnet build above ran npm ci in web/.
  log "vitest (web)"
  npm_ci_if_needed web
  (cd web && NO_COLOR=1 npm test) 2>&1 | tee "$out/web-test.log" || status=$?
  tests_line=$(sed -n 's/^ *Tests  *\(.*\)$/\1/p' "$out/web-test.log" | tail -1)
  p=$(sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p' <<<"$tests_line"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.*\b\([0-9][0-9]*\) failed.*/\1/p' <<<"$tests_line"); failed=$((failed + ${f:-0}))
  s=$(sed -n 's/.*\b\([0-9][0-9]*\) skipped.*/\1/p' <<<"$tests_line"); skipped=$((skipped + ${s:-0}))

  # The console in Debian's chromium against the built `porthole --demo`; screenshots in $out/e2e/.
  log "browser end-to-end (test/e2e)"
  npm_ci_if_needed test/e2e
  (cd test/e2e && node --test --test-concurrency=1) 2>&1 | tee "$out/e2e-test.log" || status=$?
  read -r p f < <(node_counts "$out/e2e-test.log"); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
  echo "test.sh: node and npm are required for test/sockjs, web and test/e2e" >&2
  status=1
fi

# --- summary -------------------------------------------------------------------
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
