#!/usr/bin/env bash
# Everything a fresh machine needs: npm packages from the lock file, the Fashion-MNIST data
# (Debian's dataset-fashion-mnist) and chromium for the browser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  fi
fi
# Debian's chromium for the dashboard's browser tests (playwright-core drives it; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The native CPU engine (backend `onednn`, native/onednn): oneDNN headers and a C++ toolchain,
# then the addon built in its own folder. Never part of the root install: a root binding.gyp
# would make `npm ci` fail wherever no compiler exists. If it cannot be built, training falls
# back to the wasm backend (the reason is in the run's backend attempts).
addon=native/onednn/build/Release/ldam_onednn.node
missing=()
[ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || missing+=(libdnnl-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
if [ ! -f "$addon" ] || [ -n "$(find native/onednn/src native/onednn/binding.gyp -newer "$addon" 2>/dev/null)" ]; then
  if ! (cd native/onednn && npm ci --no-audit --no-fund >native-build.log 2>&1); then
    echo "warning: the onednn addon did not build (see native/onednn/native-build.log); training will use wasm" >&2
  fi
fi
