#!/usr/bin/env bash
# Builds the cargo-fuzz targets in fuzz/ and runs each for SECONDS (default
# 60) under libFuzzer with a memory cap and a per-input time limit. Needs a
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). A crash
# leaves its input in fuzz/artifacts/TARGET/ and fails the script; replay
# it with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...`.
#
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_PER_TARGET="${1:-60}"
TARGETS=(catalog_file handout_render)
# A fuzz build instruments every dependency: keep it apart from the main
# build's target folder.
export CARGO_TARGET_DIR="${HEP_FUZZ_TARGET_DIR:-$PWD/target}"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz (and a nightly toolchain)" >&2
  exit 1
fi

echo "== building the fuzz targets"
start=$(date +%s)
cargo +nightly fuzz build -O
echo "   built in $(( $(date +%s) - start )) s"

# Seed corpora: the real catalog files for the catalog parser (first byte 0
# = an exercise file, 1 = precautions.toml, 2 = vocabulary.toml).
mkdir -p corpus/catalog_file corpus/handout_render
for f in ../exercise_catalog/exercises/*.toml; do
  { printf '\0'; cat "$f"; } >"corpus/catalog_file/ex-$(basename "$f")"
done
{ printf '\1'; cat ../exercise_catalog/precautions.toml; } >corpus/catalog_file/precautions
{ printf '\2'; cat ../exercise_catalog/vocabulary.toml; } >corpus/catalog_file/vocabulary

mkdir -p logs
for target in "${TARGETS[@]}"; do
  echo "== fuzzing $target for ${SECONDS_PER_TARGET} s"
  status=0
  cargo +nightly fuzz run -O "$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 >"logs/$target.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::(number_of_executed_units|peak_rss_mb))' "logs/$target.log" || true
  # A crash, timeout or out-of-memory leaves an input in artifacts/.
  if [ "$status" != 0 ] || compgen -G "artifacts/$target/*" >/dev/null; then
    tail -40 "logs/$target.log" >&2
    echo "fuzz target $target failed (exit $status); inputs in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "== fuzzing found nothing"
