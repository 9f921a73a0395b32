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

source "$repo/scripts/lib/standalone-server.sh"
work="$(mktemp -d)"
trap 'stop_standalone_server; rm -rf "$work"' EXIT

# shared/ is read-only in CI: install the runner's pinned driver in a copy.
mkdir -p "$work/runner" && cp -R "$shared/tools/mongo-spec-runner/." "$work/runner/"
chmod -R u+w "$work/runner"
(cd "$work/runner" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
  cat "$work/npm.log" >&2; echo "run-node-spec: npm ci failed" >&2; exit 2; }

echo "run-node-spec: building and starting the standalone server" >&2
start_standalone_server "$work" || exit 2
uri="$SERVER_URI"

# Probe: a real ping through the same driver, until it answers or 60 s pass.
probe="const {MongoClient}=require('mongodb');const c=new MongoClient(process.argv[1],{serverSelectionTimeoutMS:1000});
c.db('admin').command({ping:1}).then(()=>process.exit(0),()=>process.exit(1)).finally(()=>c.close())"
ping_server() { (cd "$work/runner" && node -e "$probe" "$uri"); }
wait_for_server ping_server || exit 2

log="${NODE_SPEC_LOG:-$work/runner-output.txt}"
status=0
(cd "$work/runner" && node run.mjs --uri "$uri" "$@" "$shared/mongo-spec/crud-legacy") >"$log" 2>"$work/runner-stderr.txt" || status=$?

grep -E '^(FAIL|SKIP) ' "$log" || true
if (( status != 0 )); then
  cat "$work/runner-stderr.txt" >&2
  if (( status >= 2 )); then tail -40 "$SERVER_LOG" >&2; fi
fi
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1 || true)"
if [[ -n "$summary" ]]; then
  echo "node-spec: $summary"
else
  echo "run-node-spec: the runner printed no summary (exit $status)" >&2
  (( status == 0 )) && status=2
fi
exit "$status"
