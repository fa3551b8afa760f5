#!/usr/bin/env bash
# Runs every package's tests through turbo (all of them, even after a failure), then prints one
# summary line "N passed, M failed" added up from the per-package jest reports.
set -uo pipefail
cd "$(dirname "$0")/.."
for d in packages/*/ rules-crs4/ conformance/; do rm -rf "$d.test-results"; mkdir -p "$d.test-results"; done
pnpm exec turbo run test --continue "$@"
status=$?
node tools/test-summary.js || status=1
exit $status
