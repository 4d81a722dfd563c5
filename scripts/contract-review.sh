#!/usr/bin/env bash
# Contract review of a pull request, run by .github/workflows/contract-review.yml and tested by
# xtask/tests/contract_review.rs: `cargo xtask diff <base-ref>` against the working tree.
#
#   - GitHub annotations (`--format github`: ::error/::warning/::notice on openapi.yaml) go to
#     standard output, where Actions turns them into annotations on the pull request;
#   - the Markdown report is appended to the job summary ($GITHUB_STEP_SUMMARY), or printed
#     when that is unset;
#   - the exit status is the diff's: 0 when no unaccepted finding is breaking, 1 when one is,
#     2 when the diff could not be made (unknown ref, a spec that does not parse).
#
# Usage: scripts/contract-review.sh <base-ref>
# Environment (all optional):
#   CONTRACT_SPEC      the spec in the working tree (default: openapi.yaml at the repository root)
#   CONTRACT_ACCEPTED  the accepted-breaks file (default: openapi-accepted-breaks.yaml beside
#                      the spec, when it exists)
#   XTASK              how to run xtask (default: `cargo xtask`, run from the repository root)
set -uo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
  echo "usage: $0 <base-ref>" >&2
  exit 2
fi
base=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
spec=$(realpath -m "${CONTRACT_SPEC:-$root/openapi.yaml}")
accepted=${CONTRACT_ACCEPTED:-$(dirname "$spec")/openapi-accepted-breaks.yaml}
read -r -a xtask <<<"${XTASK:-cargo xtask}"
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}

arguments=("$base" --spec "$spec")
if [[ -f $accepted ]]; then
  arguments+=(--accepted "$(realpath "$accepted")")
fi

cd "$root" || exit 2
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

# The Markdown report for the summary; --fail-on never: only a tool error fails this run.
if report=$("${xtask[@]}" diff "${arguments[@]}" --format md --fail-on never 2>"$errors"); then
  printf '%s\n' "$report" >>"$summary"
else
  status=$?
  cat "$errors" >&2
  {
    echo "## OpenAPI contract changes"
    echo
    echo "The contract diff against \`$base\` could not be made (exit status $status):"
    echo
    echo '```text'
    cat "$errors"
    echo '```'
  } >>"$summary"
  exit 2
fi

# The annotations; this run's exit status is the review's verdict.
"${xtask[@]}" diff "${arguments[@]}" --format github
status=$?
case $status in
  0) echo "contract review: no unaccepted breaking change against $base" ;;
  1) echo "contract review: unaccepted breaking changes against $base (see the job summary; accept a break on purpose in openapi-accepted-breaks.yaml)" >&2 ;;
  *) echo "contract review: the diff failed with exit status $status" >&2 ;;
esac
exit "$status"
