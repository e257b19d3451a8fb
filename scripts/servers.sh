# Sourced by the scripts that start test inference servers (scripts/test-with-server, scripts/remote_*.sh).
#   free_port          prints a free TCP port on 127.0.0.1
#   stop_servers DIR…  stops every server whose DIR/*/mlserver.pid or DIR/mlserver.pid is there (SIGTERM,
#                      up to 5 s, then SIGKILL) and removes the DIRs
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
stop_servers() {
  local dir pidfile pid
  for dir in "$@"; do
    for pidfile in "$dir"/mlserver.pid "$dir"/*/mlserver.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$dir"
  done
}
