#!/usr/bin/env bash
# run-smoke.sh - proves `make gdb` works: QEMU halted with a stub, gdb with
# symbols and tools/gdb/highland.py, `hbreak start_kernel` + `continue` stops
# there, and the hl-* helpers read the kernel's state. Prints TAP.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/test-logs/gdb-smoke.out
export GDB_SERIAL_LOG=build/test-logs/gdb-smoke-serial.log
mkdir -p build/test-logs
timeout 120 tools/gdb/run-gdb.sh --batch tests/gdb/smoke.gdb \
	--mem 512 --cmdline "gdbsmoke=1" >"$out" 2>&1 </dev/null
n=0 fail=0
check() { # check DESCRIPTION PATTERN
	n=$((n + 1))
	if grep -qE -- "$2" "$out"; then echo "ok $n $1"
	else echo "not ok $n $1"; echo "    # no line matching /$2/ in $out"; fail=$((fail + 1)); fi
}
echo "1..5"
check "gdb stops at start_kernel" "^start_kernel in section .text"
check "helpers load" "Highland gdb helpers loaded"
check "hl-cmdline reads the command line" "gdbsmoke=1"
check "hl-e820 reads the boot map" "^BIOS-e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable"
check "hl-dmesg reads the log buffer" "\] Highland .* teaching kernel"
exit $((fail > 0))
