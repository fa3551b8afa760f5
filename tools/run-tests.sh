#!/usr/bin/env bash
# The README's test command (`pnpm test`): type-checks and runs every package's tests through turbo (all of them,
# even after a failure), replays the CRS 4 regression suite in-process against the committed baseline, then prints
# one summary line "N passed, M failed, K skipped" added up from the per-package jest reports. With RAMPART_NODE24=1
# the jest suites and the in-process CRS suite run again under Node 24 first, and the line adds up both runs.
set -uo pipefail
cd "$(dirname "$0")/.."
for d in packages/*/ rules-crs4/ conformance/ tools/pack-test/; do rm -rf "$d.test-results"; mkdir -p "$d.test-results"; done
status=0
pnpm exec turbo run typecheck test --continue "$@" || status=1
echo "== CRS 4 regression suite (in-process; fails on any test that passed in conformance/baseline.txt)"
pnpm exec turbo run conformance --output-logs=full -- --quiet || status=1
echo "== libmodsecurity v3 regression cases (fails on any check that passed in conformance/modsec-regression/baseline.txt)"
node conformance/dist/modsec-regression/cli.js || status=1
echo "== CRS 4 regression suite over HTTP through HAProxy + rampart spoa (fails on any test that passed in conformance/haproxy/baseline.txt)"
node conformance/haproxy/run.js --baseline || status=1
if [ -x ../shared/haproxy/3.3.0/haproxy ]; then
  echo "== the same through HAProxy 3.3.0 (the setup guide's build: SPOP multiplexer, mode spop)"
  node conformance/haproxy/run.js --baseline --haproxy ../shared/haproxy/3.3.0/haproxy --work conformance/.rampart/haproxy-3.3 --report conformance/.rampart/haproxy-3.3-report.json || status=1
fi
if [ "${RAMPART_NODE24:-0}" = 1 ]; then
  echo "== The test suites and the in-process CRS suite again under Node 24 (tools/run-node24.sh)"
  bash tools/run-node24.sh || status=1
  node tools/test-summary.js .node24/repo || status=1
else
  node tools/test-summary.js || status=1
fi
exit $status
