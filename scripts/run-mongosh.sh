#!/usr/bin/env bash
# Runs tests/mongosh/smoke.js in mongosh (npm, pinned in tests/mongosh/package.json) against the standalone
# embedded server started in replica-set mode, and prints "mongosh: N passed, N failed" last.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/lib/standalone-server.sh"
command -v node >/dev/null || { echo "run-mongosh: node is not installed" >&2; exit 2; }

work="$(mktemp -d)"
trap 'stop_standalone_server; rm -rf "$work"' EXIT

(cd "$repo/tests/mongosh" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
  cat "$work/npm.log" >&2; echo "run-mongosh: npm ci failed" >&2; exit 2; }
mongosh="$repo/tests/mongosh/node_modules/.bin/mongosh"

start_standalone_server "$work" --replSet rs0
wait_for_server "$mongosh" --quiet --nodb --eval "quit(0)"
wait_for_server "$mongosh" --quiet "$SERVER_URI" --eval "db.adminCommand({ping: 1})"

status=0
"$mongosh" --quiet "$SERVER_URI" "$repo/tests/mongosh/smoke.js" >"$work/out.txt" 2>&1 || status=$?
grep -E '^FAIL ' "$work/out.txt" || true
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/out.txt" | tail -1 || true)"
if [[ -z "$summary" ]]; then
  cat "$work/out.txt" >&2; echo "run-mongosh: mongosh printed no summary (exit $status)" >&2; exit 2
fi
echo "mongosh: $summary"
[[ "$summary" == *" 0 failed" ]] || exit 1
exit "$status"
