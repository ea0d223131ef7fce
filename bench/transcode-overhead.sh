#!/usr/bin/env bash
# Transcoding overhead: a 10-minute 44.1 kHz stereo FLAC (a) uploaded through the gateway, timed from the upload's
# answer (status "uploaded") until its file_ready event arrives on the owner's WebSocket: job pickup, original fetched from
# S3, one ffmpeg run making the 64k/128k/256k AAC HLS ladder plus loudness and waveform, renditions stored, database
# updated; and (b) the bare ffmpeg command that makes the same ladder from a local file to a local directory.
# Runs alternate. Needs a running stack (./veza up). Usage: bench/transcode-overhead.sh [runs] [seconds of audio]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${1:-3} LENGTH=${2:-600}
set -a; source "${VEZA_STATE:-$ROOT/.veza}/env"; set +a
WORK=$(mktemp -d)
trap 'kill "$EVENTS" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# something an encoder has to work at: a chord over pink noise, slowly swept
ffmpeg -v error -f lavfi -i "anoisesrc=color=pink:sample_rate=44100:amplitude=0.15" \
  -f lavfi -i "aevalsrc=0.2*sin(2*PI*(220+40*sin(t/7))*t)+0.1*sin(2*PI*330*t)+0.1*sin(2*PI*441*t):s=44100" \
  -filter_complex "[0][1]amix=inputs=2,aformat=channel_layouts=stereo" -t "$LENGTH" -c:a flac "$WORK/source.flac"
TOKEN=$("$ROOT/veza" token bench-transcode)
# the owner's events, as a player would follow them (no polling load beside ffmpeg)
"$ROOT/veza" events bench-transcode >"$WORK/events" 2>"$WORK/events.log" & EVENTS=$!
for _ in $(seq 300); do grep -q "connected to" "$WORK/events.log" 2>/dev/null && break; sleep 0.1; done
GATEWAY="http://127.0.0.1:$VEZA_GATEWAY_PORT"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

platform_run() {
  local id start end worker
  id=$(curl -fsS -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/source.flac;type=audio/flac" -F title=bench \
    "$GATEWAY/api/v1/streams/upload" | sed -n 's/.*"file_id":"\([^"]*\)".*/\1/p')
  start=$(now)
  # file_ready or file_failed for this file, as the line arrives
  grep -m1 -E "\"file_(ready|failed)\".*$id|$id.*\"file_(ready|failed)\"" < <(timeout 900 tail -n +1 -f "$WORK/events") >"$WORK/last" || true
  end=$(now)
  grep -q file_ready "$WORK/last" || { echo "no file_ready for $id: $(cat "$WORK/last")" >&2; exit 1; }
  worker=$(grep -o "Transcoded $id ([0-9]* s of audio) in [0-9]* ms" "$VEZA_LOG_DIR/media-service.log" | grep -o '[0-9]* ms' | tail -1)
  curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/streams/files/$id"
  printf 'platform %6.2f s  (worker: %s)\n' "$(elapsed "$start" "$end")" "${worker:-?}"
  echo "$(elapsed "$start" "$end")" >>"$WORK/platform.s"
}

bare_run() {
  local start end out="$WORK/bare"
  rm -rf "$out"; mkdir -p "$out"
  start=$(now)
  ffmpeg -hide_banner -nostats -nostdin -v error -y -i "$WORK/source.flac" \
    -filter_complex "[0:a:0]aresample=44100,aformat=channel_layouts=stereo,asplit=3[a0][a1][a2]" \
    -map "[a0]" -b:a:0 64k -map "[a1]" -b:a:1 128k -map "[a2]" -b:a:2 256k -c:a aac \
    -f hls -hls_time 6 -hls_playlist_type vod -hls_flags independent_segments \
    -hls_segment_filename "$out/%v/seg_%04d.ts" -var_stream_map "a:0,name:64k a:1,name:128k a:2,name:256k" "$out/%v/index.m3u8"
  end=$(now)
  printf 'bare     %6.2f s\n' "$(elapsed "$start" "$end")"
  echo "$(elapsed "$start" "$end")" >>"$WORK/bare.s"
}

echo "$((LENGTH / 60)) min FLAC (44.1 kHz, 16-bit, stereo, $(($(stat -c %s "$WORK/source.flac") / 1048576)) MiB), $RUNS runs each, alternating; $(nproc) cores, $(date -u +%FT%TZ)"
for ((i = 0; i < RUNS; i++)); do
  if ((i % 2 == 0)); then bare_run; platform_run; else platform_run; bare_run; fi
done
mean() { awk '{ s += $1 } END { printf "%.2f", s / NR }' "$WORK/$1"; }
awk -v p="$(mean platform.s)" -v b="$(mean bare.s)" \
  'BEGIN { printf "mean: platform %.2f s, bare ffmpeg %.2f s: overhead %+.1f%%\n", p, b, 100 * (p - b) / b }'
