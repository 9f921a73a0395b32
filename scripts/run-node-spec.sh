#!/usr/bin/env bash
# Runs shared/tools/mongo-spec-runner (the Node.js driver, mongodb 6.21) on shared/mongo-spec/crud-legacy
# against the standalone embedded server, and exits with the runner's status (0 all passed, 1 failures,
# 2 the runner could not run). Its summary line "N passed, N failed, N skipped" is printed last.
#
#   scripts/run-node-spec.sh [extra runner arguments, e.g. --strict or --filter insertMany]
#
# Environment: MONGO_SHARED_DIR overrides where shared/ is (default: the first shared/ in a folder above the repository),
# NODE_SPEC_LOG names a file for the full per-test output (default: a temp file, shown on failure).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${MONGO_SHARED_DIR:-}"
if [[ -z "$shared" ]]; then
  # shared/ sits beside the repository: look in each folder above it, as the C# tests do.
  dir="$repo"
  while [[ -n "$dir" ]]; do
    if [[ -d "$dir/shared/mongo-spec" ]]; then shared="$dir/shared"; break; fi
    [[ "$dir" == "/" ]] && break
    dir="$(dirname "$dir")"
  done
fi
if [[ -z "$shared" || ! -d "$shared/tools/mongo-spec-runner" || ! -d "$shared/mongo-spec/crud-legacy" ]]; then
  echo "run-node-spec: shared/tools/mongo-spec-runner and shared/mongo-spec/crud-legacy not found beside $repo (set MONGO_SHARED_DIR)" >&2
  exit 2
fi
command -v node >/dev/null || { echo "run-node-spec: node is not installed" >&2; exit 2; }

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

# shared/ is read-only in CI: install the runner's pinned driver in a copy.
cp -R "$shared/tools/mongo-spec-runner/." "$work/runner/" 2>/dev/null || { mkdir -p "$work/runner" && cp -R "$shared/tools/mongo-spec-runner/." "$work/runner/"; }
chmod -R u+w "$work/runner"
(cd "$work/runner" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
  cat "$work/npm.log" >&2; echo "run-node-spec: npm ci failed" >&2; exit 2; }

echo "run-node-spec: building the standalone server" >&2
dotnet build "$repo/src/Shared/EmbeddedMongo.Server" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || {
  tail -40 "$work/build.log" >&2; echo "run-node-spec: the server does not build" >&2; exit 2; }

# Run the built assembly itself (not "dotnet run"), so the pid we stop is the server's.
server_dll="$(find "$repo/src/Shared/EmbeddedMongo.Server/bin/Release" -name Monolith.EmbeddedMongo.Server.dll -path '*/net*/*' 2>/dev/null | head -1)"
[[ -n "$server_dll" ]] || { echo "run-node-spec: Monolith.EmbeddedMongo.Server.dll not found after the build" >&2; exit 2; }

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
uri="mongodb://127.0.0.1:${port}/?directConnection=true"
dotnet "$server_dll" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!

# Probe: a real ping through the same driver, until it answers or 60 s pass.
probe="const {MongoClient}=require('mongodb');const c=new MongoClient(process.argv[1],{serverSelectionTimeoutMS:1000});
c.db('admin').command({ping:1}).then(()=>process.exit(0),()=>process.exit(1)).finally(()=>c.close())"
deadline=$((SECONDS + 60))
until (cd "$work/runner" && node -e "$probe" "$uri") 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log" >&2; echo "run-node-spec: the server exited before answering" >&2; exit 2
  fi
  if (( SECONDS >= deadline )); then
    tail -40 "$work/server.log" >&2; echo "run-node-spec: the server did not answer ping on port $port within 60 s" >&2; exit 2
  fi
  sleep 0.5
done

log="${NODE_SPEC_LOG:-$work/runner-output.txt}"
status=0
(cd "$work/runner" && node run.mjs --uri "$uri" "$@" "$shared/mongo-spec/crud-legacy") >"$log" 2>"$work/runner-stderr.txt" || status=$?

grep -E '^(FAIL|SKIP) ' "$log" || true
if (( status != 0 )); then
  cat "$work/runner-stderr.txt" >&2
  if (( status >= 2 )); then tail -40 "$work/server.log" >&2; fi
fi
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1 || true)"
if [[ -n "$summary" ]]; then
  echo "node-spec: $summary"
else
  echo "run-node-spec: the runner printed no summary (exit $status)" >&2
  (( status == 0 )) && status=2
fi
exit "$status"
