#!/usr/bin/env bash
# Benchmark 9 (BENCHMARKS.md): what `gigs` costs a consumer's build. Two small crates run the
# same service, one with `gigs` (bench/consumer-build/with-gigs), one by hand with reqwest and
# serde (bench/consumer-build/by-hand); the first takes gigs from this repository's HEAD commit as
# a service takes a release (see below). Each is built cold in a target directory of its own
# (dependencies downloaded beforehand, so no build waits on the network), then rebuilt after an
# edit of its main.rs (EDITS times, default 7, the two crates taking turns edit by edit), in the
# dev profile and then the release profile; the two take turns, the first alternating between
# rounds. Prints each time, the ratios gigs / by hand with their range over the rounds, and `met` or `MISSED` against the targets of issue 32:
# cold ≤ 1.5× and rebuild after an edit ≤ 1.2×, each in both profiles (the issue sets the edit's
# target without naming a profile; dev is what a developer waits for, both are held to it).
#
# Run by hand on a quiet machine (CI does not run it): `bash bench/consumer_build.sh` (ROUNDS=2
# by default; about 5 minutes a round on 2 cores). PROFILES="dev" measures the dev profile only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/consumer-build"
rounds="${ROUNDS:-2}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export CARGO_TERM_COLOR=never

# The copy depends on gigs as a service depends on a release: not by a path, which would make
# gigs and gigs-client local packages (compiled incrementally, in many more codegen units, and
# their every source file checked at each build, as a service never builds them), but from a
# source cargo treats like the registry: this repository, by git, at its HEAD commit. So the
# figures are of the committed code; uncommitted changes are not measured (said below).
workspace="$(cd ../.. && pwd)"
commit="$(git -C "$workspace" rev-parse HEAD)"
echo "gigs at $commit (HEAD of $workspace)"
if [ -n "$(git -C "$workspace" status --porcelain -- crates Cargo.toml Cargo.lock)" ]; then
  echo "note: crates/ or the workspace manifests have uncommitted changes; they are not measured"
fi
for crate in with-gigs by-hand; do
  cp -r "$crate" "$scratch/$crate"
  sed -i "s|path = \"../../../crates/gigs\"|git = \"file://$workspace\", rev = \"$commit\"|" "$scratch/$crate/Cargo.toml"
  if [ "$crate" = with-gigs ] && ! grep -q "git = \"file://$workspace\"" "$scratch/$crate/Cargo.toml"; then
    echo "error: $crate/Cargo.toml no longer names gigs by path = \"../../../crates/gigs\"" >&2
    exit 1
  fi
  # The workspace's versions of every shared dependency: start from its lock file.
  cp ../../Cargo.lock "$scratch/$crate/Cargo.lock"
  cargo fetch --quiet --manifest-path "$scratch/$crate/Cargo.toml"
done

seconds() { # prints the wall time of "$@" in seconds; fails when the command fails
  local start end
  start="$(date +%s.%N)"
  "$@" >"$scratch/last.log" 2>&1 || { cat "$scratch/last.log"; return 1; }
  end="$(date +%s.%N)"
  echo "$end - $start" | bc
}

# cold CRATE PROFILE_FLAG: a cold build in the crate's own (emptied) target directory.
cold() {
  local target="$scratch/target-$1"
  rm -rf "$target"
  seconds cargo build --offline $2 --manifest-path "$scratch/$1/Cargo.toml" --target-dir "$target"
}

# edit CRATE PROFILE_FLAG: one rebuild after an edit of main.rs (the crate built before).
edit() {
  echo "// edit $RANDOM" >>"$scratch/$1/src/main.rs"
  seconds cargo build --offline $2 --manifest-path "$scratch/$1/Cargo.toml" --target-dir "$scratch/target-$1"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# A rebuild after an edit takes about half a second, so one of them is at the mercy of any
# other process; each round therefore times EDITS of them per crate, the two crates taking
# turns edit by edit, and keeps each crate's median.
edits="${EDITS:-7}"
declare -A results
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="with-gigs by-hand"; else order="by-hand with-gigs"; fi
  for profile in ${PROFILES:-dev release}; do
    flag=""
    [ "$profile" = release ] && flag="--release"
    for crate in $order; do
      results["$round $profile $crate cold"]="$(cold "$crate" "$flag")"
    done
    declare -A times=()
    for i in $(seq "$edits"); do
      if [ $((i % 2)) -eq 1 ]; then turn="$order"; else turn="$(echo "$order" | awk '{print $2, $1}')"; fi
      for crate in $turn; do
        times[$crate]+="$(edit "$crate" "$flag") "
      done
    done
    for crate in $order; do
      results["$round $profile $crate edit"]="$(printf '%s\n' ${times[$crate]} | median)"
      echo "round $round $profile $crate: cold ${results["$round $profile $crate cold"]} s," \
        "after an edit (median of $edits) ${results["$round $profile $crate edit"]} s: ${times[$crate]}"
      rm -rf "$scratch/target-$crate"
    done
    unset times
  done
done

verdict() { # verdict LABEL TARGET RATIOS...: median and range, met or MISSED
  local label="$1" target="$2"
  shift 2
  local sorted median
  sorted="$(printf '%s\n' "$@" | sort -n)"
  median="$(printf '%s\n' "$sorted" | median)"
  local result="met"
  if [ "$(echo "$median > $target" | bc)" -eq 1 ]; then result="MISSED"; fi
  printf '%s: %.2fx (range %.2f-%.2f over %d rounds), target <= %sx: %s\n' "$label" "$median" \
    "$(printf '%s\n' "$sorted" | head -1)" "$(printf '%s\n' "$sorted" | tail -1)" "$#" "$target" "$result"
}

for profile in ${PROFILES:-dev release}; do
  for kind in cold edit; do
    ratios=()
    for round in $(seq "$rounds"); do
      ratios+=("$(echo "scale=4; ${results["$round $profile with-gigs $kind"]} / ${results["$round $profile by-hand $kind"]}" | bc)")
    done
    if [ "$kind" = cold ]; then
      verdict "$profile, cold" 1.5 "${ratios[@]}"
    else
      verdict "$profile, after an edit" 1.2 "${ratios[@]}"
    fi
  done
done
