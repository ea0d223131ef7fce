#!/usr/bin/env bash
# Runs the benchmarks against the running stack (./veza up) and prints their figures.
# Usage: bench/run.sh [gateway|live|events|upload|transcode|all]
# (upload needs a stack started with VEZA_MEDIA_MAX_UPLOAD_SIZE=2G: the file is 1 GiB)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
javac -d "$out" bench/LiveDelay.java bench/EventDelay.java
case ${1:-all} in
  gateway) bench/gateway-overhead.sh ;;
  live) java -cp "$out" LiveDelay 60 ;;
  events) java -cp "$out" EventDelay 200 ;;
  upload) bench/upload-throughput.sh ;;
  transcode) bench/transcode-overhead.sh 5 ;;
  all) bench/gateway-overhead.sh; java -cp "$out" LiveDelay 60; java -cp "$out" EventDelay 200
    bench/upload-throughput.sh; bench/transcode-overhead.sh 5 ;;
esac
rm -rf "$out"
