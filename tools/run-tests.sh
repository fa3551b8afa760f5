#!/usr/bin/env bash
# Runs every package's tests through turbo (all of them, even after a failure), then prints one
# summary line "N passed, M failed" added up from the per-package jest reports.
set -uo pipefail
cd "$(dirname "$0")/.."
find . -name jest-report.json -path '*/.test-results/*' -not -path '*/node_modules/*' -delete 2>/dev/null
pnpm exec turbo run test --continue "$@"
status=$?
node tools/test-summary.js || status=1
exit $status
