#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 workbench served over HTTP) into .e2e/ under the
# project, for test/e2e/vscode.test.ts. Idempotent: returns at once when the right version is there.
#
#   usage: scripts/e2e-setup.sh          (from anywhere; needs network access to the npm registry)
#
# Needs these Debian packages (installed by CI, see .ci/run): build-essential python3 pkg-config
# libkrb5-dev (the `kerberos` native module) ripgrep (replaces @vscode/ripgrep's GitHub download;
# also used at run time by Quick Open) chromium (the browser the test drives).
#
# Why each knob is needed (details: ../shared/recipes/vscode-e2e/NOTES.md, section 2):
#   - 4.100.3 is the newest code-server whose engines.node is 20 (later ones need Node 22 or 24).
#   - its postinstall refuses to run as root without npm_config_unsafe_perm=true.
#   - node-pty's postinstall calls `npx node-gyp`, which needs npm_config_yes=true when ~/.npmrc says no.
#   - @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache in $TMPDIR already holds
#     the archive; we seed that cache with Debian's rg.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.e2e"
CS_DIR="$ROOT/code-server"
BIN="$CS_DIR/node_modules/.bin/code-server"
STAMP="$CS_DIR/.installed-$VERSION"

if [ -x "$BIN" ] && [ -f "$STAMP" ]; then
  echo "code-server $VERSION already installed in $CS_DIR"
  exit 0
fi

missing=()
for cmd in rg cc make python3; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("gssapi.h (libkrb5-dev)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e-setup: missing build prerequisites: ${missing[*]}" >&2
  echo "e2e-setup: apt-get install -y build-essential python3 pkg-config libkrb5-dev ripgrep" >&2
  exit 1
fi

TMP="$ROOT/tmp"
mkdir -p "$CS_DIR" "$TMP" "$ROOT/xdg/config" "$ROOT/xdg/data" "$ROOT/xdg/cache"
rm -f "$CS_DIR"/.installed-*

# Seed @vscode/ripgrep's download cache (version 1.15.11 is what code-server 4.100.3 pulls in).
RG_CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# node-gyp builds the native modules against the installed Node's headers when it finds them
# (Debian's nodejs puts them in /usr/include/node); otherwise it would download them from nodejs.org.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then
  export npm_config_nodedir=/usr
fi

cd "$CS_DIR"
[ -f package.json ] || printf '{ "name": "kvmnet-e2e-code-server", "private": true }\n' > package.json

start=$(date +%s)
echo "e2e-setup: installing code-server $VERSION into $CS_DIR (about 40 s; log: $CS_DIR/install.log)"
if ! env TMPDIR="$TMP" XDG_CONFIG_HOME="$ROOT/xdg/config" XDG_DATA_HOME="$ROOT/xdg/data" XDG_CACHE_HOME="$ROOT/xdg/cache" \
    npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --save-exact "code-server@$VERSION" --foreground-scripts > install.log 2>&1; then
  tail -40 install.log >&2
  echo "e2e-setup: npm install of code-server $VERSION failed (full log: $CS_DIR/install.log)" >&2
  exit 1
fi

# Smoke check. --config keeps code-server from writing ~/.config/code-server/config.yaml.
printf 'auth: none\ncert: false\n' > "$TMP/version-probe.yaml"
got=$(env XDG_CONFIG_HOME="$ROOT/xdg/config" XDG_DATA_HOME="$ROOT/xdg/data" \
  "$BIN" --config "$TMP/version-probe.yaml" --version | head -1)
case "$got" in
  "$VERSION "*) ;;
  *) echo "e2e-setup: unexpected code-server version: $got" >&2; exit 1 ;;
esac
touch "$STAMP"
echo "e2e-setup: code-server $got installed in $(( $(date +%s) - start )) s"
