#!/usr/bin/env bash
# Requests per second through Porthole's full 13-stage pipeline, measured with wrk (Debian: apt-get install wrk).
# Starts the Release build of porthole in demo mode (in-process KubeSim) on PORT, waits for /readyz,
# then runs wrk against a cached GET (discovery, served from Porthole's cache without calling
# Kubernetes) with and without Brotli, a 304 revalidation, and a resource GET proxied to KubeSim.
# Usage: bench/porthole-wrk.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"; conns="${2:-32}"; port="${PORT:-8191}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
dotnet build src/Porthole -c Release -warnaserror --nologo -v quiet >/dev/null
home=$(mktemp -d)
# The per-IP rate limit (100/s) would answer 429 to a load tool: lift it for the measurement.
DOTNET_ENVIRONMENT=Production HOME="$home" KUBECONFIG= PORTHOLE_PORT="$port" \
  PORTHOLE_RATE_LIMIT=1000000 PORTHOLE_RATE_BURST=1000000 \
  dotnet src/Porthole/bin/Release/net10.0/porthole.dll --demo >"$home/porthole.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$home"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.5; done
discovery="$base/api/v1/clusters/sim-admin/api-resources"
etag=$(curl -si "$discovery" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
wrk -t2 -c"$conns" -d3s "$discovery" >/dev/null   # warm-up
run() { echo "== $1"; shift; wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" | grep -E 'Requests/sec|50%|99%|Non-2xx'; }
run "cached GET, identity"            "$discovery"
run "cached GET, Accept-Encoding br"  -H 'Accept-Encoding: br' "$discovery"
run "cached GET, If-None-Match (304)" -H "If-None-Match: $etag" "$discovery"
run "resource GET proxied to KubeSim" "$base/api/v1/clusters/sim-admin/k8s/api/v1/namespaces/default/pods"
