#!/usr/bin/env bash
# Runs tests/oidc-interop (openid-client, pinned in its package.json) against the host: Release build output, embedded
# database, Testing environment with seed credentials from environment variables, on a free port. Prints the script's
# "oidc-interop: N passed, N failed, N skipped". Exits 0 when every check passed, 1 on a failed check, 2 when it could
# not run.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v node >/dev/null || { echo "run-oidc-interop: node is not installed" >&2; exit 2; }

work="$(mktemp -d)"
host_pid=""
cleanup() {
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill "$host_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/interop"
cp "$repo/tests/oidc-interop/package.json" "$repo/tests/oidc-interop/package-lock.json" "$repo/tests/oidc-interop/interop.mjs" "$work/interop/"
(cd "$work/interop" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
  cat "$work/npm.log" >&2; echo "run-oidc-interop: npm ci failed" >&2; exit 2; }

host_dll="$repo/src/Host/bin/Release/net10.0/Monolith.Host.dll"
if [[ ! -f "$host_dll" ]]; then
  echo "run-oidc-interop: building the host" >&2
  dotnet build "$repo/src/Host" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || {
    tail -40 "$work/build.log" >&2; echo "run-oidc-interop: the host does not build" >&2; exit 2; }
fi

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export ADMIN_EMAIL="interop-admin@monolith.test" ADMIN_PASSWORD="Interop-Admin-Passw0rd" SERVICE_SECRET="interop-service-secret-$RANDOM$RANDOM"
export SPA_REDIRECT="http://localhost:3000/callback"
# The content root is the build output (appsettings.json); data and keys go to the temporary folder.
(cd "$(dirname "$host_dll")" && \
  ASPNETCORE_ENVIRONMENT=Testing \
  EmbeddedMongo__DataPath="$work/mongo" \
  Identity__Keys__Path="$work/keys" \
  Migrations__ApplyOnStartup=true \
  Identity__Seed__OnStartup=true \
  Identity__Seed__AdminEmail="$ADMIN_EMAIL" \
  Identity__Seed__AdminPassword="$ADMIN_PASSWORD" \
  Identity__Seed__ServiceClientSecret="$SERVICE_SECRET" \
  Identity__Seed__SpaRedirectUris__0="$SPA_REDIRECT" \
  exec dotnet "$host_dll" --urls "http://127.0.0.1:$port") >"$work/host.log" 2>&1 &
host_pid=$!

deadline=$((SECONDS + 90))
until node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
  if ! kill -0 "$host_pid" 2>/dev/null; then
    tail -40 "$work/host.log" >&2; echo "run-oidc-interop: the host exited before it was ready" >&2; exit 2
  fi
  if (( SECONDS >= deadline )); then
    tail -40 "$work/host.log" >&2; echo "run-oidc-interop: the host was not ready on port $port within 90 s" >&2; exit 2
  fi
  sleep 0.5
done

status=0
(cd "$work/interop" && node interop.mjs "http://127.0.0.1:$port") || status=$?
(( status == 0 )) || tail -40 "$work/host.log" >&2
exit "$status"
