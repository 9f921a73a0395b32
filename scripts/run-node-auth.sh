#!/usr/bin/env bash
# Checks authentication of the standalone embedded server (started with --auth) with the Node.js driver
# (shared/tools/mongo-spec-runner's pinned mongodb 6.x): localhost exception, SCRAM-SHA-256 with default and explicit
# mechanism, wrong password and unknown user (18), missing rights (13). Exits 0 when every check passed,
# 1 on a failed check, 2 when the check could not run.
#
# Environment: MONGO_SHARED_DIR overrides where shared/ is (default: the first shared/ in a folder above the repository).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${MONGO_SHARED_DIR:-}"
if [[ -z "$shared" ]]; then
  dir="$repo"
  while [[ -n "$dir" ]]; do
    if [[ -d "$dir/shared/tools/mongo-spec-runner" ]]; then shared="$dir/shared"; break; fi
    [[ "$dir" == "/" ]] && break
    dir="$(dirname "$dir")"
  done
fi
if [[ -z "$shared" || ! -d "$shared/tools/mongo-spec-runner" ]]; then
  echo "run-node-auth: shared/tools/mongo-spec-runner not found beside $repo (set MONGO_SHARED_DIR)" >&2
  exit 2
fi
command -v node >/dev/null || { echo "run-node-auth: node is not installed" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/runner"
cp "$shared/tools/mongo-spec-runner/package.json" "$shared/tools/mongo-spec-runner/package-lock.json" "$work/runner/"
(cd "$work/runner" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
  cat "$work/npm.log" >&2; echo "run-node-auth: npm ci failed" >&2; exit 2; }
# ES module imports resolve from the script's folder, so the check runs beside the installed driver.
cp "$repo/scripts/node-auth-check.mjs" "$work/runner/"

echo "run-node-auth: building the standalone server" >&2
dotnet build "$repo/src/Shared/EmbeddedMongo.Server" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || {
  tail -40 "$work/build.log" >&2; echo "run-node-auth: the server does not build" >&2; exit 2; }
server_dll="$(find "$repo/src/Shared/EmbeddedMongo.Server/bin/Release" -name Monolith.EmbeddedMongo.Server.dll -path '*/net*/*' 2>/dev/null | head -1)"
[[ -n "$server_dll" ]] || { echo "run-node-auth: Monolith.EmbeddedMongo.Server.dll not found after the build" >&2; exit 2; }

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
dotnet "$server_dll" --port "$port" --auth >"$work/server.log" 2>&1 &
server_pid=$!

# ping needs no authentication, so it probes readiness even with --auth.
probe="const {MongoClient}=require('mongodb');const c=new MongoClient(process.argv[1],{serverSelectionTimeoutMS:1000});
c.db('admin').command({ping:1}).then(()=>process.exit(0),()=>process.exit(1)).finally(()=>c.close())"
deadline=$((SECONDS + 60))
until (cd "$work/runner" && node -e "$probe" "mongodb://127.0.0.1:${port}/?directConnection=true") 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log" >&2; echo "run-node-auth: the server exited before answering" >&2; exit 2
  fi
  if (( SECONDS >= deadline )); then
    tail -40 "$work/server.log" >&2; echo "run-node-auth: the server did not answer ping on port $port within 60 s" >&2; exit 2
  fi
  sleep 0.5
done

status=0
(cd "$work/runner" && node node-auth-check.mjs "127.0.0.1:$port") || status=$?
(( status == 0 )) || tail -40 "$work/server.log" >&2
exit "$status"
