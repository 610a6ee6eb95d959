#!/usr/bin/env bash
# run-memsnap.sh - gdb's hl-memsnap (tools/gdb/highland/memsnap.py) on a
# stopped kernel: QEMU + gdb in batch mode at 2 GB (HighMem present) with
# "meminfo" on the command line; tests/gdb/memsnap.gdb stops at monitor_run
# and writes the snapshot; tests/gdb/check_memsnap.py checks it (tools/memview
# reads it; its runs tile max_pfn; its free frames are the zones' counters
# and the kernel's own MemFree in the serial log) and prints TAP.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/test-logs/gdb-memsnap.out
export GDB_SERIAL_LOG=build/test-logs/gdb-memsnap-serial.log
mkdir -p build/test-logs
rm -f "$out" "$GDB_SERIAL_LOG" build/test-logs/gdb-memsnap.txt
timeout 120 tools/gdb/run-gdb.sh --batch tests/gdb/memsnap.gdb --mem 2048 --cmdline "meminfo" \
	>"$out" 2>&1 </dev/null
status=$?
touch "$GDB_SERIAL_LOG"
python3 tests/gdb/check_memsnap.py "$out" "$GDB_SERIAL_LOG" build/test-logs/gdb-memsnap.txt
rc=$?
if ((status != 0)); then echo "# gdb session exit status $status (see $out)"; fi
exit $(( rc != 0 || status != 0 ))
