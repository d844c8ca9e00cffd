#!/usr/bin/env bash
# Installs entmc's build and test dependencies from Debian packages (Debian 12).
# Idempotent: does nothing when everything is already installed.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev
  libboost-graph-dev librapidcheck-dev libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libxxhash-dev
  rumur spin python3
  python3-botocore
  libzstd-dev
  openmpi-bin libopenmpi-dev
  gcovr
  libxml2-utils chromium help2man
  time
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
