#!/usr/bin/env bash
# Install what Highland needs to build, boot and test, on Debian 12 / Ubuntu.
# Idempotent: packages already present are not reinstalled, and nothing runs
# when every tool is there. Exits non-zero with a clear message when it cannot
# install (not root and no sudo, no apt-get).
#   -q      say nothing when everything is there
#   --fuzz  also clang and libFuzzer (libclang-rt-14-dev), for `make fuzz` only
#   --busybox  only Debian's busybox-static:i386, extracted into build/busybox/
#              (never installed; see the busybox block at the end)
set -euo pipefail

QUIET=0 FUZZ=0 BUSYBOX=0
for arg in "$@"; do
  case $arg in
    -q) QUIET=1 ;;
    --fuzz) FUZZ=1 ;;
    --busybox) BUSYBOX=1 ;;
    *) echo "install-deps: unknown option $arg (use -q, --fuzz, --busybox)" >&2; exit 2 ;;
  esac
done

# ---- busybox (issue 17): Debian's busybox-static for i386, downloaded and extracted, never
# installed. apt-get download runs with its own package lists (build/busybox/apt/, i386 only:
# APT::Architectures), so neither dpkg's architecture list nor the system's apt lists change:
# the machine is left exactly as it was, even if this is interrupted. The .deb is unpacked with
# dpkg-deb -x into build/busybox/root/; build/busybox/busybox is the checked binary.
# Idempotent: a verified binary already there means nothing to do.
if [[ $BUSYBOX -eq 1 ]]; then
  ROOT=$(cd "$(dirname "$0")/.." && pwd)
  BB=$ROOT/build/busybox
  verify_busybox() { # an ELF 32-bit i386 static executable, or a message and status 1
    local f=$1 hdr
    hdr=$(od -An -tx1 -N20 "$f" 2>/dev/null | tr -d ' \n')
    # e_ident: 7f 'E' 'L' 'F', class 1 (32-bit), data 1 (LSB); e_type 2 (EXEC); e_machine 3 (386)
    if [[ ${hdr:0:12} != 7f454c460101 || ${hdr:32:4} != 0200 || ${hdr:36:4} != 0300 ]]; then
      echo "install-deps: $f is not an ELF 32-bit i386 executable" >&2; return 1
    fi
    if LC_ALL=C readelf -lW "$f" 2>/dev/null | grep -q -e INTERP -e DYNAMIC; then
      echo "install-deps: $f is dynamically linked (want busybox-static)" >&2; return 1
    fi
  }
  if [[ -x $BB/busybox ]] && verify_busybox "$BB/busybox" 2>/dev/null; then
    [[ $QUIET -eq 1 ]] || echo "install-deps: busybox is there ($BB/busybox)"
    exit 0
  fi
  for t in apt-get dpkg-deb readelf od; do
    command -v $t >/dev/null 2>&1 || { echo "install-deps: busybox needs $t (Debian/Ubuntu's apt, dpkg, binutils)" >&2; exit 1; }
  done
  rm -rf "$BB.tmp" && mkdir -p "$BB.tmp/apt/lists/partial" "$BB.tmp/apt/cache/archives/partial" "$BB.tmp/deb"
  APT_OPTS=(-q -o APT::Architectures=i386 -o APT::Architecture=i386
            -o Dir::State::Lists="$BB.tmp/apt/lists" -o Dir::Cache="$BB.tmp/apt/cache"
            -o Dir::State::status=/var/lib/dpkg/status -o Debug::NoLocking=1
            -o APT::Sandbox::User=root)
  echo "install-deps: fetching Debian's busybox-static:i386 into $BB (apt-get download; nothing is installed)"
  if ! apt-get "${APT_OPTS[@]}" update >"$BB.tmp/apt-update.log" 2>&1; then
    cat "$BB.tmp/apt-update.log" >&2
    echo "install-deps: cannot read Debian's package lists (offline?). busybox is needed only for" >&2
    echo "  USERLAND=busybox and the busybox-* test jobs; when online, run: tools/install-deps.sh --busybox" >&2
    rm -rf "$BB.tmp"; exit 1
  fi
  if ! (cd "$BB.tmp/deb" && apt-get "${APT_OPTS[@]}" download busybox-static:i386) >"$BB.tmp/apt-download.log" 2>&1; then
    cat "$BB.tmp/apt-download.log" >&2
    echo "install-deps: apt-get download busybox-static:i386 failed (offline? see above)" >&2
    rm -rf "$BB.tmp"; exit 1
  fi
  deb=$(ls "$BB.tmp"/deb/busybox-static_*_i386.deb)
  dpkg-deb -x "$deb" "$BB.tmp/root"
  verify_busybox "$BB.tmp/root/bin/busybox" || { rm -rf "$BB.tmp"; exit 1; }
  cp "$BB.tmp/root/bin/busybox" "$BB.tmp/busybox"
  dpkg-deb -f "$deb" Version > "$BB.tmp/VERSION"
  rm -rf "$BB.tmp/apt" "$BB" && mv "$BB.tmp" "$BB"
  echo "install-deps: busybox $(cat "$BB/VERSION") (i386, static) in $BB/busybox"
  exit 0
fi

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
# --- memview (issue 19): Debian's chromium, run headless by make test's browser job
# (tests/browser/test_memview.py) to render and check the memory pictures ---
PROBE[chromium]=chromium
# --- end memview ---
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
