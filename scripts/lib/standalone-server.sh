# Sourced by scripts that need the standalone embedded server as a separate process.
#   start_standalone_server WORKDIR [server flags...]   builds (Release) and starts it on a free port;
#                                                       sets SERVER_PID, SERVER_PORT and SERVER_URI
#   wait_for_server COMMAND...                           runs COMMAND until it succeeds (60 s at most)
#   stop_standalone_server                               SIGTERM, then SIGKILL after 5 s
# The caller's EXIT trap should call stop_standalone_server.

start_standalone_server() {
  local work="$1"; shift
  local repo; repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  dotnet build "$repo/src/Shared/EmbeddedMongo.Server" -c Release -v quiet -nologo >"$work/server-build.log" 2>&1 || {
    tail -40 "$work/server-build.log" >&2; echo "the standalone server does not build" >&2; return 2; }
  local dll
  dll="$(find "$repo/src/Shared/EmbeddedMongo.Server/bin/Release" -name Monolith.EmbeddedMongo.Server.dll -path '*/net*/*' 2>/dev/null | head -1)"
  [[ -n "$dll" ]] || { echo "Monolith.EmbeddedMongo.Server.dll not found after the build" >&2; return 2; }
  SERVER_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  SERVER_URI="mongodb://127.0.0.1:${SERVER_PORT}/?directConnection=true"
  SERVER_LOG="$work/server.log"
  # The built assembly itself (not "dotnet run"), so the pid we stop is the server's.
  dotnet "$dll" --port "$SERVER_PORT" "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
}

wait_for_server() {
  local deadline=$((SECONDS + 60))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$SERVER_LOG" >&2; echo "the server exited before answering" >&2; return 2
    fi
    if (( SECONDS >= deadline )); then
      tail -40 "$SERVER_LOG" >&2; echo "the server did not answer on port $SERVER_PORT within 60 s" >&2; return 2
    fi
    sleep 0.5
  done
}

stop_standalone_server() {
  if [[ -n "${SERVER_PID:-}" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
}
