#!/usr/bin/env bash
# Upload throughput: the same ~1 GiB WAV (a) uploaded through the gateway as a user does (multipart
# POST /api/v1/streams/upload: gateway -> media-service spool -> content validation -> S3) and (b) put straight
# into the S3 store with the AWS CLI (`aws s3 cp`), runs alternating. media-service's heap is sampled from
# /q/metrics during every upload. Needs a stack whose upload limit is above the file:
#   VEZA_MEDIA_MAX_UPLOAD_SIZE=2G ./veza up
# Usage: bench/upload-throughput.sh [runs] [MiB]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${1:-3} MIB=${2:-1024}
set -a; source "${VEZA_STATE:-$ROOT/.veza}/env"; set +a
command -v aws >/dev/null || pip install --quiet awscli
WORK=$(mktemp -d)
trap 'kill "$SAMPLER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
SAMPLER=""

# 48 kHz / 24-bit stereo pink noise: 288000 bytes per second of audio
SECONDS_OF_AUDIO=$((MIB * 1024 * 1024 / 288000))
ffmpeg -v error -f lavfi -i "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3" -ac 2 -t "$SECONDS_OF_AUDIO" \
  -c:a pcm_s24le "$WORK/big.wav"
SIZE=$(stat -c %s "$WORK/big.wav")
TOKEN=$("$ROOT/veza" token bench-upload)
GATEWAY="http://127.0.0.1:$VEZA_GATEWAY_PORT"
export AWS_ACCESS_KEY_ID=$VEZA_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$VEZA_S3_SECRET_KEY AWS_DEFAULT_REGION=$VEZA_S3_REGION
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
S3=(aws --endpoint-url "http://127.0.0.1:$VEZA_S3_PORT" s3)

heap_used() { # bytes of heap in use in media-service now
  curl -fsS "http://127.0.0.1:$VEZA_MEDIA_PORT/q/metrics" |
    awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { printf "%.0f\n", s }'
}
sample_heap() { while :; do heap_used >>"$WORK/heap"; sleep 0.25; done; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
no_transcoding() { # the deleted file's job stops within a lease renewal; wait for its ffmpeg to go
  for _ in $(seq 60); do pgrep -f "ffmpeg.*transcode-" >/dev/null || return 0; sleep 0.5; done
}

gateway_run() {
  : >"$WORK/heap"; sample_heap & SAMPLER=$!
  local out code secs id
  out=$(curl -sS -o "$WORK/response.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" \
    -F "file=@$WORK/big.wav;type=audio/wav" -F title=bench "$GATEWAY/api/v1/streams/upload")
  kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null || true
  read -r code secs <<<"$out"
  [[ $code == 201 ]] || { echo "gateway upload answered $code: $(head -c 300 "$WORK/response.json")" >&2; exit 1; }
  id=$(sed -n 's/.*"file_id":"\([^"]*\)".*/\1/p' "$WORK/response.json")
  curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/streams/files/$id"
  no_transcoding
  local min max
  min=$(sort -n "$WORK/heap" | head -1) max=$(sort -n "$WORK/heap" | tail -1)
  awk -v s="$SIZE" -v t="$secs" 'BEGIN { printf "gateway  %6.1f s  %6.1f MiB/s", t, s / t / 1048576 }'
  printf '   media-service heap during: %s-%s MiB (%d samples)\n' "$(mib "$min")" "$(mib "$max")" "$(wc -l <"$WORK/heap")"
  echo "$secs" >>"$WORK/gateway.s"; echo "$max" >>"$WORK/heapmax"
}

s3_run() {
  local start end secs
  start=$(date +%s.%N)
  "${S3[@]}" cp --only-show-errors "$WORK/big.wav" "s3://$VEZA_S3_BUCKET/bench/big.wav"
  end=$(date +%s.%N)
  "${S3[@]}" rm --only-show-errors "s3://$VEZA_S3_BUCKET/bench/big.wav"
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  awk -v s="$SIZE" -v t="$secs" 'BEGIN { printf "aws s3   %6.1f s  %6.1f MiB/s\n", t, s / t / 1048576 }'
  echo "$secs" >>"$WORK/s3.s"
}

echo "$(mib "$SIZE") MiB WAV, $RUNS runs each, alternating; client, gateway, media-service, s3proxy on the same $(nproc) cores, $(date -u +%FT%TZ)"
echo "media-service heap at rest: $(mib "$(heap_used)") MiB in use"
# one upload each way first, not counted: JIT warm-up of the gateway and media-service paths, s3proxy's too
echo "warm-up (not counted):"; s3_run; gateway_run; rm -f "$WORK"/*.s "$WORK/heapmax"
for ((i = 0; i < RUNS; i++)); do
  if ((i % 2 == 0)); then s3_run; gateway_run; else gateway_run; s3_run; fi
done
mean() { awk '{ s += $1 } END { printf "%.2f", s / NR }' "$WORK/$1"; }
awk -v g="$(mean gateway.s)" -v a="$(mean s3.s)" -v s="$SIZE" 'BEGIN {
  printf "mean: gateway %.1f MiB/s, aws s3 cp %.1f MiB/s: gateway / direct = %.0f%%\n", s / g / 1048576, s / a / 1048576, 100 * a / g }'
echo "media-service heap, highest sample over all uploads: $(mib "$(sort -n "$WORK/heapmax" | tail -1)") MiB (-Xmx256m; the file is $(mib "$SIZE") MiB)"
