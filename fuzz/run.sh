#!/usr/bin/env bash
# Fuzz the whole per-document analysis with libFuzzer on the stable toolchain.
#
#   fuzz/run.sh [SECONDS] [libFuzzer options...]     default: 90 s (the CI run)
#   fuzz/run.sh 0 -runs=10000000                      the long run: ten million executions
#
# Builds fuzz/ (its own workspace and lockfile) with the SanitizerCoverage flags cargo-fuzz
# passes (stable rustc accepts them; no nightly, no cargo-fuzz needed), into target/fuzz-build
# (reused by later runs), then fuzzes seeded from the shipped corpus, the test fixtures and
# the polnear articles in ../shared (required: read in place, never copied into the
# repository). New inputs go to target/fuzz-corpus, crashes to target/fuzz-artifacts/;
# the script fails on any crash. SECONDS=0 means no time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-90}
shift || true

polnear="$root/../shared/data/polnear/corpus"
if [ ! -d "$polnear" ]; then
  echo "fuzz: the polnear corpus is missing at $polnear: the fuzz run is seeded from it" >&2
  exit 1
fi

export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$root/target/fuzz-build}"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
echo "== fuzz: building fuzz/ (libFuzzer + SanitizerCoverage) into $CARGO_TARGET_DIR"
# With an explicit --target the flags reach only the fuzzed code, not build scripts.
host=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --locked --manifest-path fuzz/Cargo.toml --target "$host" --bin analyse
bin="$CARGO_TARGET_DIR/$host/release/analyse"

work="$root/target/fuzz-corpus/analyse"
artifacts="$root/target/fuzz-artifacts/"
mkdir -p "$work" "$artifacts"
jobs=()
[ "$secs" != 0 ] && jobs+=("-max_total_time=$secs")
echo "== fuzz: analyse for ${secs}s (0: unlimited) seeded from corpus/, tests/fixtures, $polnear"
# -max_len: long enough for a few paragraphs of a real article, short enough for thousands of
# executions a second. -timeout: one input analysed for more than 10 s is a finding too.
"$bin" "${jobs[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$@" \
  "$work" "$root/corpus" "$root/tests/fixtures/harbour" "$polnear"
