#!/usr/bin/env bash
# Install code-server (VS Code in the browser) for the extension end-to-end test.
# Idempotent: does nothing when the pinned version is already installed.
#
#   bash test/extension/install-code-server.sh [DIR]     (default ~/.cache/pattern-atlas-e2e/code-server)
#
# Needs (Debian 12): ripgrep libkrb5-dev chromium (plus g++ make python3, already on the machine),
# the npm registry and Debian apt. Nothing is downloaded from anywhere else.
# Takes ~2-3 min on 2 cores the first time, ~0.3 s after that.
#
# Three workarounds (see shared/recipes/editor-clients.md §2):
#  1. npm_config_unsafe_perm=true : code-server's postinstall.sh refuses to run as root without it.
#  2. npm_config_yes=true         : node-pty's postinstall runs `npx node-gyp`, which aborts non-interactively.
#  3. @vscode/ripgrep 1.15.11 downloads rg from GitHub in postinstall unless its cache in $TMPDIR has the
#     tarball: we pre-seed that cache with Debian's `rg`.
# kerberos (a code-server dependency) builds from source without a prebuilt binary: needs libkrb5-dev.
set -euo pipefail
DIR=${1:-${PATTERN_ATLAS_E2E_CACHE:-$HOME/.cache/pattern-atlas-e2e}/code-server}
CS_VERSION=${CS_VERSION:-4.100.3}   # newest code-server whose engines.node is 20 (4.103+ want 22, 4.133+ want 24)
CS="$DIR/node_modules/.bin/code-server"

if [ -x "$CS" ] && "$CS" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  echo "code-server $CS_VERSION already installed in $DIR"
  exit 0
fi

APT_PACKAGES=(ripgrep libkrb5-dev chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing apt packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "not root: please run  apt-get install -y ${missing[*]}" >&2; exit 1
  fi
fi

# Pre-seed @vscode/ripgrep's download cache with Debian's rg (workaround 3).
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
mkdir -p "$RG_CACHE"
if [ ! -s "$RG_TGZ" ]; then
  tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"
  tar czf "$RG_TGZ" -C "$tmp" rg; rm -rf "$tmp"
fi

mkdir -p "$DIR" && cd "$DIR"
[ -f package.json ] || echo '{"name":"pattern-atlas-e2e-code-server","private":true}' > package.json
start=$(date +%s)
npm_config_unsafe_perm=true npm_config_yes=true timeout 1200 \
  npm install --no-audit --no-fund "code-server@${CS_VERSION}"
"$CS" --version
echo "code-server installed in $DIR in $(( $(date +%s) - start )) s"
