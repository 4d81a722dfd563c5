#!/usr/bin/env bash
# Schemathesis (pinned in requirements.txt) against the gigs-fake binary with the seed
# crates/gigs-testing/seed.json, every check, the rules of schemathesis.toml; fails on any
# finding. Run from anywhere: `bash tools/schemathesis/run.sh`. Installs Schemathesis into a
# virtual environment under the cargo target directory the first time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
venv="$target/schemathesis-venv"
requirements=tools/schemathesis/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi

cargo build --quiet --locked -p gigs-testing --bin gigs-fake
token="schemathesis-$RANDOM"
log="$(mktemp)"
# Port 0: the fake takes a free port and says which.
"$target/debug/gigs-fake" --port 0 --seed crates/gigs-testing/seed.json --token "$token" >"$log" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null || true; rm -f "$log"' EXIT
base_url=""
for _ in $(seq 1 100); do
  base_url="$(sed -n 's/^gigs-fake listening on \(http:[^ ]*\).*/\1/p' "$log")"
  [ -n "$base_url" ] && break
  sleep 0.1
done
if [ -z "$base_url" ]; then
  echo "gigs-fake did not start:" >&2
  cat "$log" >&2
  exit 1
fi

# Hypothesis keeps its files in the working directory; a temporary one keeps the checkout clean.
work="$(mktemp -d)"
trap 'kill "$fake" 2>/dev/null || true; rm -rf "$log" "$work"' EXIT
root="$PWD"
(
  cd "$work"
  SCHEMATHESIS_HOOKS="$root/tools/schemathesis/hooks.py" \
    "$venv/bin/schemathesis" --config-file "$root/tools/schemathesis/schemathesis.toml" \
    run "$root/openapi.yaml" --url "$base_url" --checks all \
    --header "Authorization: Bearer $token" --no-color
)
