#!/usr/bin/env bash
# Host throughput benchmark: starts the host (Release, embedded database, seeded) and measures with wrk, in one run:
#   bare     GET /ping                              a constant JSON from the same host build (the baseline)
#   by-id    GET /api/v1/catalog/products/{id}      cached
#   list     GET /api/v1/catalog/products?limit=20  first page, cached
#   post     POST /api/v1/catalog/products          a new product per request
#   by-id-jwt GET /api/v1/catalog/products/{id}     the same GET with a valid bearer token (validated every request)
#   token    POST /connect/token                    client credentials: one signed JWT (and its token entry) per request
# Prints requests/s, p50 and p99 latency and each throughput as a ratio of the bare endpoint.
# The endpoints are measured round-robin for ROUNDS rounds (default 3) and the median of each figure is printed, so a
# change in machine load during the run shifts all endpoints alike instead of skewing the ratios.
# Usage: benchmarks/host/run.sh [duration-seconds=10] [connections=32] [threads=2]   (env: ROUNDS, BENCH_PORT)
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS="${3:-2}"
ROUNDS="${ROUNDS:-3}"
PORT="${BENCH_PORT:-5091}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE="http://127.0.0.1:${PORT}"
WORK="$(mktemp -d)"
HOST_PID=""

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cleanup() {
  if [[ -n "$HOST_PID" ]] && kill -0 "$HOST_PID" 2>/dev/null; then
    kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building the host (Release)..."
dotnet build "$ROOT/src/Host/Host.csproj" -c Release -nologo -v quiet >/dev/null
DLL="$ROOT/src/Host/bin/Release/net10.0/Monolith.Host.dll"

# Same settings for seeding and serving: embedded database in a scratch folder, limits out of the way.
BIN="$ROOT/src/Host/bin/Release/net10.0"
SETTINGS=(
  --contentRoot "$BIN"
  --environment Development
  --EmbeddedMongo:DataPath="$WORK/data"
  --RateLimiting:Policies:catalog-read:PermitLimit=1000000000
  --RateLimiting:Policies:catalog-write:PermitLimit=1000000000
  --SoftDelete:PurgeEnabled=false
  --Identity:Keys:Path="$WORK/keys"
)

echo "seeding..."
(cd "$WORK" && dotnet "$DLL" seed "${SETTINGS[@]}" >"$WORK/seed.log" 2>&1) || { cat "$WORK/seed.log"; exit 1; }
grep -v '^{' "$WORK/seed.log" || true

echo "starting the host on $BASE..."
(cd "$WORK" && exec dotnet "$DLL" "${SETTINGS[@]}" --urls "$BASE" >"$WORK/host.log" 2>&1) &
HOST_PID=$!
for _ in $(seq 1 120); do
  curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$HOST_PID" 2>/dev/null || { echo "the host exited:"; tail -20 "$WORK/host.log"; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/health/ready" >/dev/null || { echo "the host did not become ready"; tail -20 "$WORK/host.log"; exit 1; }

ID="$(curl -fs "$BASE/api/v1/catalog/products?limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["id"] if d else "")')"
[[ -n "$ID" ]] || { echo "no seeded product found"; exit 1; }

TOKEN="$(curl -fs "$BASE/connect/token" -d grant_type=client_credentials -d client_id=monolith-service \
  -d client_secret=dev-service-secret-change-me -d scope=catalog.read | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
[[ -n "$TOKEN" ]] || { echo "no access token from /connect/token"; exit 1; }
export BENCH_TOKEN="$TOKEN"

declare -A RPS P50 P99 ERRORS
to_ms() { # wrk prints 850.00us / 1.20ms / 1.05s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A ARGS=(
  [bare]="$BASE/ping"
  [by-id]="$BASE/api/v1/catalog/products/$ID"
  [list]="$BASE/api/v1/catalog/products?limit=20"
  [post]="-s $(dirname "$0")/post-product.lua $BASE"
  [by-id-jwt]="-s $(dirname "$0")/bearer.lua $BASE/api/v1/catalog/products/$ID"
  [token]="-s $(dirname "$0")/token.lua $BASE/connect/token"
)
ORDER=(bare by-id by-id-jwt list post token)
run_wrk() { # name, seconds
  # shellcheck disable=SC2086 # ARGS holds several words on purpose
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency ${ARGS[$1]}
}

echo "warming up: ${DURATION}s per endpoint"
for name in "${ORDER[@]}"; do run_wrk "$name" "$DURATION" >/dev/null 2>&1; done

echo "measuring: ${ROUNDS} rounds of ${DURATION}s per endpoint, ${CONNECTIONS} connections, ${THREADS} threads"
for round in $(seq 1 "$ROUNDS"); do
  for name in "${ORDER[@]}"; do
    out="$(run_wrk "$name" "$DURATION")"
    echo "$out" >"$WORK/$name.$round.txt"
    RPS[$name]+=" $(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    P50[$name]+=" $(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    P99[$name]+=" $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    ERRORS[$name]=$(( ${ERRORS[$name]:-0} + $(awk '/Non-2xx or 3xx responses:/ { n = $5 } END { print n + 0 }' <<<"$out") ))
  done
done
for name in "${ORDER[@]}"; do
  RPS[$name]="$(median <<<"${RPS[$name]}")"
  P50[$name]="$(median <<<"${P50[$name]}")"
  P99[$name]="$(median <<<"${P99[$name]}")"
done

printf '\n%-9s %12s %10s %10s %10s %8s\n' "endpoint" "requests/s" "p50 ms" "p99 ms" "vs bare" "non-2xx"
for name in "${ORDER[@]}"; do
  ratio="$(awk -v a="${RPS[$name]}" -v b="${RPS[bare]}" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
  printf '%-9s %12s %10s %10s %10s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$ratio" "${ERRORS[$name]:-0}"
done
echo "by-id-jwt vs by-id (anonymous): $(awk -v a="${RPS[by-id-jwt]}" -v b="${RPS[by-id]}" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
echo
echo "medians of ${ROUNDS} rounds; load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "targets: cached GET by id >= 60% of bare; p99 < 10 ms at 32 connections; GET by id with a bearer token >= 80% of anonymous"
