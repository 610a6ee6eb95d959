#!/usr/bin/env bash
# Install what Highland needs to build, boot and test, on Debian 12 / Ubuntu.
# Idempotent: packages already present are not reinstalled, and nothing runs
# when every tool is there. Exits non-zero with a clear message when it cannot
# install (not root and no sudo, no apt-get).
#   -q      say nothing when everything is there
#   --fuzz  also clang and libFuzzer (libclang-rt-14-dev), for `make fuzz` only
set -euo pipefail

QUIET=0 FUZZ=0
for arg in "$@"; do
  case $arg in
    -q) QUIET=1 ;;
    --fuzz) FUZZ=1 ;;
    *) echo "install-deps: unknown option $arg (use -q, --fuzz)" >&2; exit 2 ;;
  esac
done

# package -> a command (or file) that proves it is installed
declare -A PROBE=(
  [make]=make
  [gcc]=gcc
  [gcc-i686-linux-gnu]=i686-linux-gnu-gcc
  # static i386 glibc 2.36 for the user programs and the initramfs (user/, tests/user/)
  [libc6-dev-i386-cross]=/usr/i686-linux-gnu/lib/libc.a
  # qemu-i386 (Linux user-mode emulation): the test-matrix job user-qemu-i386 runs the
  # user test suite on the host's Linux with it, checking the suite itself without Highland
  [qemu-user]=qemu-i386
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
  # util-linux's mkswap formats the swap disks of the tests (make swap-images); it lives in
  # /sbin, which may be off a non-root PATH, hence the full path
  [util-linux]=/sbin/mkswap
)
if [[ $FUZZ -eq 1 ]]; then
  PROBE[clang]=clang
  # libFuzzer's runtime for clang 14 (what `clang -fsanitize=fuzzer` links)
  PROBE[libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
fi

missing=()
for pkg in "${!PROBE[@]}"; do
  p=${PROBE[$pkg]}
  if [[ $p == /* ]]; then [[ -e $p ]] || missing+=("$pkg")
  else command -v "$p" >/dev/null 2>&1 || missing+=("$pkg"); fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  [[ $QUIET -eq 1 ]] || echo "install-deps: everything is installed"
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
