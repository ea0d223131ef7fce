#!/usr/bin/env bash
# Gateway overhead: the same GET /api/v1/streams/live load (a) through the gateway (JWT check, request id,
# streaming proxy), (b) through nginx as a plain reverse proxy in front of stream-service, (c) against
# stream-service directly. Needs a running stack (./veza up). Usage: bench/gateway-overhead.sh [seconds] [connections]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION=${1:-20} CONNECTIONS=${2:-32}
set -a; source "${VEZA_STATE:-$ROOT/.veza}/env"; set +a
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
PROXY_PORT=${BENCH_NGINX_PORT:-18090}
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/tmp"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp; uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  upstream stream_service { server 127.0.0.1:$VEZA_STREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / { proxy_pass http://stream_service; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -p "$WORK/" -c "$WORK/nginx.conf"

TOKEN=$("$ROOT/veza" token bench)
# a realistic page: a few live public streams in the list
for i in 1 2 3; do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$VEZA_GATEWAY_PORT/api/v1/streams/start" -H "Authorization: Bearer $("$ROOT/veza" token "bench-$i")" \
    -H 'Content-Type: application/json' -d "{\"title\":\"bench $i\"}" || true
done

run() { # name url: appends this round's req/s to $WORK/<name>.rps and keeps wrk's report
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$2" >"$WORK/$1.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$1.txt"); p99=$(awk '$1=="99%" {print $2}' "$WORK/$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/$1.txt")
  printf '%-8s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps" >>"$WORK/$1.rps"
}

PATH_Q="/api/v1/streams/live?limit=20"
DIRECT="http://127.0.0.1:$VEZA_STREAM_PORT$PATH_Q" NGINX="http://127.0.0.1:$PROXY_PORT$PATH_Q" GATEWAY="http://127.0.0.1:$VEZA_GATEWAY_PORT$PATH_Q"
# warm the JITs of both JVMs first, then alternate the order so that drift does not favour one side
wrk -t2 -c"$CONNECTIONS" -d15s -H "Authorization: Bearer $TOKEN" "$GATEWAY" >/dev/null
echo "GET $PATH_Q, ${DURATION}s per run, $CONNECTIONS connections, wrk + services + nginx on the same $(nproc) cores, $(date -u +%FT%TZ)"
run direct "$DIRECT"; run nginx "$NGINX"; run gateway "$GATEWAY"
run gateway "$GATEWAY"; run nginx "$NGINX"; run direct "$DIRECT"
mean() { awk '{ s += $1 } END { printf "%.0f", s / NR }' "$WORK/$1.rps"; }
echo "mean req/s: direct $(mean direct), nginx $(mean nginx), gateway $(mean gateway)"
awk -v g="$(mean gateway)" -v n="$(mean nginx)" -v d="$(mean direct)" \
  'BEGIN { printf "gateway/nginx throughput: %.0f%%   gateway/direct: %.0f%%   nginx/direct: %.0f%%\n", 100*g/n, 100*g/d, 100*n/d }'
