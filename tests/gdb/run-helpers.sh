#!/usr/bin/env bash
# run-helpers.sh - the gdb helpers (tools/gdb/highland/) against the kernel's
# own reports. QEMU + gdb in batch mode (tools/gdb/run-gdb.sh): the kernel
# boots at 2 GB (HighMem present) on 2 CPUs with "meminfo buddyinfo
# zoneinfo"; gdb stops at monitor_run (after mm init and those reports),
# tests/gdb/helpers.gdb runs every hl-* command, then corrupts lists and a
# kmap slot by hand to prove the helpers report what is broken. A second
# session runs some of them on a kernel stopped after a panic
# (tests/gdb/panic.gdb). tests/gdb/check_helpers.py compares each output with
# the serial log and prints TAP.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/test-logs/gdb-helpers.out
export GDB_SERIAL_LOG=build/test-logs/gdb-helpers-serial.log
mkdir -p build/test-logs
rm -f "$out" "$GDB_SERIAL_LOG"
timeout 90 tools/gdb/run-gdb.sh --batch tests/gdb/helpers.gdb \
	--mem 2048 --smp 2 --cmdline "meminfo buddyinfo zoneinfo" >"$out" 2>&1 </dev/null
status=$?
# The same helpers on a kernel that has panicked (tests/gdb/panic.gdb).
pout=build/test-logs/gdb-helpers-panic.out
pserial=build/test-logs/gdb-helpers-panic-serial.log
rm -f "$pout" "$pserial"
GDB_SERIAL_LOG=$pserial timeout 90 tools/gdb/run-gdb.sh --batch tests/gdb/panic.gdb \
	--mem 2048 --cmdline "meminfo buddyinfo crash=null" >"$pout" 2>&1 </dev/null
pstatus=$?
touch "$GDB_SERIAL_LOG" "$pserial"
python3 tests/gdb/check_helpers.py "$out" "$GDB_SERIAL_LOG" "$pout" "$pserial"
rc=$?
if ((status != 0)); then echo "# gdb session exit status $status (see $out)"; fi
if ((pstatus != 0)); then echo "# gdb session exit status $pstatus (see $pout)"; fi
exit $(( rc != 0 || status != 0 || pstatus != 0 ))
