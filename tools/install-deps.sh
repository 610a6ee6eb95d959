#!/usr/bin/env bash
# Install what Highland needs to build, boot and test, on Debian 12 / Ubuntu.
# Idempotent: packages already present are not reinstalled, and nothing runs
# when every tool is there. Exits non-zero with a clear message when it cannot
# install (not root and no sudo, no apt-get).
set -euo pipefail

# package -> a command (or file) that proves it is installed
declare -A PROBE=(
  [make]=make
  [gcc]=gcc
  [gcc-i686-linux-gnu]=i686-linux-gnu-gcc
  [binutils-i686-linux-gnu]=i686-linux-gnu-ld
  [nasm]=nasm
  [grub-pc-bin]=/usr/lib/grub/i386-pc/moddep.lst
  [grub-common]=grub-mkrescue
  [xorriso]=xorriso
  [mtools]=mformat
  [qemu-system-x86]=qemu-system-i386
  [gdb]=gdb
  [python3]=python3
  [perl]=prove
)

missing=()
for pkg in "${!PROBE[@]}"; do
  p=${PROBE[$pkg]}
  if [[ $p == /* ]]; then [[ -e $p ]] || missing+=("$pkg")
  else command -v "$p" >/dev/null 2>&1 || missing+=("$pkg"); fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  [[ ${1:-} == -q ]] || echo "install-deps: everything is installed"
  exit 0
fi

echo "install-deps: missing packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
SUDO=
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  elif command -v sudo >/dev/null 2>&1 && [[ -t 0 ]]; then SUDO=sudo
  else
    echo "install-deps: not root and no usable sudo; as root run:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
