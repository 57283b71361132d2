#!/usr/bin/env bash
# Install what the browser and HTML tests need and pip cannot provide:
# Debian's Chromium (driven by Playwright; never `playwright install`), a Java
# runtime and the Nu Html Checker (vnu.jar from the npm package vnu-jar).
# Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VNU_VERSION=26.9.27
VNU_JAR=.cache/node/node_modules/vnu-jar/build/dist/vnu.jar

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# vnu.jar, pinned; --ignore-scripts skips the package's optional Java download (we use the system's).
installed=$(node -p "require('./.cache/node/node_modules/vnu-jar/package.json').version" 2>/dev/null || true)
if [ ! -f "$VNU_JAR" ] || [ "$installed" != "$VNU_VERSION" ]; then
  npm install --prefix .cache/node --ignore-scripts --no-audit --no-fund --silent "vnu-jar@$VNU_VERSION"
fi
