#!/usr/bin/env bash
# Builds modsec-harness against the installed libmodsecurity (Debian: libmodsecurity-dev, libyajl-dev, gcc) and
# prints the binary's path. Rebuilds only when harness.c changed. Exit 1 (with the reason on stderr) when the
# library or the compiler is missing: callers skip what needs the reference engine.
#
#   tools/modsec-harness/build.sh [OUTPUT_DIR]     # default: $TMPDIR/rampart-modsec-harness
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)/harness.c"
out_dir="${1:-${TMPDIR:-/tmp}/rampart-modsec-harness}"

command -v gcc >/dev/null || { echo "modsec-harness: gcc is not installed" >&2; exit 1; }
for h in modsecurity/modsecurity.h yajl/yajl_tree.h; do
  echo "#include <$h>" | gcc -E -x c - >/dev/null 2>&1 || { echo "modsec-harness: <$h> not found (apt-get install libmodsecurity-dev libyajl-dev)" >&2; exit 1; }
done

sum="$(sha1sum "$src" | cut -c1-12)"
bin="$out_dir/modsec-harness-$sum"
if [ ! -x "$bin" ]; then
  mkdir -p "$out_dir"
  gcc -O2 -Wall -Wextra -o "$bin.tmp.$$" "$src" -lmodsecurity -lyajl
  mv "$bin.tmp.$$" "$bin"
fi
echo "$bin"
