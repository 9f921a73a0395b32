#!/usr/bin/env bash
# Builds the solution once, runs every test project (xUnit v3 on Microsoft.Testing.Platform) and the Node
# driver's spec runner against the standalone embedded server, then prints one line per suite and, last,
# the total as "N passed, N failed, N skipped". Exits non-zero when anything failed or could not run.
#
#   scripts/test.sh              everything
#   SKIP_NODE_SPEC=1 scripts/test.sh   without the Node runner
#   SKIP_MONGOSH=1 scripts/test.sh     without the mongosh smoke test
#   SKIP_OIDC_INTEROP=1 scripts/test.sh   without the openid-client interoperability checks of the host
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
configuration="${CONFIGURATION:-Release}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# Prerequisites: the .NET SDK comes with the machine; Node.js (for the spec runner) and redis-server (for the
# host's Redis cache tests) may have to be installed.
if ! command -v dotnet >/dev/null; then
  echo "test: the .NET SDK (dotnet) is not installed" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
if [[ -z "${SKIP_NODE_SPEC:-}" ]] && ! command -v node >/dev/null; then
  echo "test: installing Node.js for the spec runner" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >"$logs/apt.log" 2>&1 \
    || { cat "$logs/apt.log" >&2; echo "test: could not install Node.js" >&2; }
fi

# The host's Redis cache tests start their own redis-server and fail (they do not skip) when it is missing.
if ! command -v redis-server >/dev/null; then
  echo "test: installing redis-server for the Redis cache tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >"$logs/apt-redis.log" 2>&1 \
    || { cat "$logs/apt-redis.log" >&2; echo "test: could not install redis-server" >&2; }
fi

echo "test: building Monolith.sln ($configuration)" >&2
if ! dotnet build Monolith.sln -c "$configuration" -nologo -v quiet >"$logs/build.log" 2>&1; then
  grep -E 'error|Error' "$logs/build.log" | sort -u | head -50 >&2
  echo "build: failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0
summary_lines=()

# Every project under tests/ and architecture-tests/ that is a test project.
mapfile -t projects < <(find tests architecture-tests -name '*.csproj' 2>/dev/null | sort)
for project in "${projects[@]}"; do
  grep -qiE 'xunit|MSTest|NUnit|IsTestProject' "$project" || continue
  name="$(basename "$project" .csproj)"
  log="$logs/$name.log"
  echo "test: $name" >&2
  timeout 900 dotnet test --project "$project" -c "$configuration" --no-build >"$log" 2>&1
  code=$?
  # Microsoft.Testing.Platform ends with "Test run summary: ..." then "total: N", "failed: N", "succeeded: N", "skipped: N".
  summary="$(awk '/Test run summary/{found=1} found' "$log")"
  t="$(grep -oE '^\s*total: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' | tail -1)"
  f="$(grep -oE '^\s*failed: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' | tail -1)"
  p="$(grep -oE '^\s*succeeded: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' | tail -1)"
  s="$(grep -oE '^\s*skipped: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' | tail -1)"
  if [[ -z "$t" || -z "$f" || -z "$p" ]]; then
    tail -40 "$log" >&2
    summary_lines+=("$name: no test summary (exit $code, timed out or crashed)")
    failed=$((failed + 1)); status=1
    continue
  fi
  if (( f > 0 )); then
    grep -E '^\s*failed ' "$log" | head -100 >&2
  fi
  # Exit code 8: the project ran zero tests, which is not a failure of its own.
  if (( code != 0 && code != 8 )) || (( f > 0 )); then status=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  summary_lines+=("$name: $p passed, $f failed, ${s:-0} skipped")
done

if [[ -z "${SKIP_NODE_SPEC:-}" ]]; then
  echo "test: Node.js driver spec runner (crud-legacy)" >&2
  "$repo/scripts/run-node-spec.sh" >"$logs/node.log" 2>&1
  code=$?
  line="$(grep -E '^node-spec: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$logs/node.log" | tail -1)"
  if [[ -n "$line" ]]; then
    read -r np nf ns < <(grep -oE '[0-9]+' <<<"$line" | tr '\n' ' ')
    passed=$((passed + np)); failed=$((failed + nf)); skipped=$((skipped + ns))
    summary_lines+=("mongo-spec-runner (Node): $np passed, $nf failed, $ns skipped")
    (( nf > 0 )) && grep -E '^FAIL ' "$logs/node.log" | head -100 >&2
  else
    tail -40 "$logs/node.log" >&2
    summary_lines+=("mongo-spec-runner (Node): did not run (exit $code)")
    failed=$((failed + 1))
  fi
  (( code != 0 )) && status=1
fi

# A script suite ends with "<label>: N passed, N failed" (", some failed" counts as one failure).
run_script_suite() {
  local label="$1" script="$2" log="$logs/$1.log" code line sp sf
  echo "test: $label" >&2
  "$repo/scripts/$script" >"$log" 2>&1
  code=$?
  line="$(grep -E "^$label: [0-9]+ passed, ([0-9]+|some) failed" "$log" | tail -1)"
  if [[ -n "$line" ]]; then
    sp="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')"
    sf="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)"
    [[ -z "$sf" ]] && sf=1
    passed=$((passed + sp)); failed=$((failed + sf))
    summary_lines+=("$label: $sp passed, $sf failed")
    (( sf > 0 )) && grep -E '^FAIL ' "$log" | head -50 >&2
  else
    tail -40 "$log" >&2
    summary_lines+=("$label: did not run (exit $code)")
    failed=$((failed + 1))
  fi
  (( code != 0 )) && status=1
}

[[ -z "${SKIP_MONGOSH:-}" ]] && run_script_suite mongosh run-mongosh.sh
[[ -z "${SKIP_NODE_SPEC:-}" ]] && run_script_suite node-auth run-node-auth.sh
[[ -z "${SKIP_OIDC_INTEROP:-}" ]] && run_script_suite oidc-interop run-oidc-interop.sh

for line in "${summary_lines[@]}"; do echo "$line"; done
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
