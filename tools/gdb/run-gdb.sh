#!/usr/bin/env bash
# run-gdb.sh - `make gdb`: start QEMU halted with a gdb stub, then a gdb that
# has the kernel's symbols and Highland's helpers loaded. QEMU's serial
# console goes to build/gdb-serial.log (read it with `hl-dmesg` or tail -f).
# Usage: run-gdb.sh [--batch GDB_SCRIPT] [qemu-run options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
batch=()
if [[ ${1:-} == --batch ]]; then batch=(-batch -x "$2"); shift 2; fi
# GDB_PORT, or a free port (so a test run and a developer's session can coexist)
port=${GDB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("localhost",0)); print(s.getsockname()[1])')}
log=${GDB_SERIAL_LOG:-build/gdb-serial.log}
python3 tools/qemu-run --kernel build/kernel.elf --gdb --gdb-port "$port" --log "$log" \
	"$@" &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
sleep 0.5
echo "QEMU is halted at the first instruction; serial output goes to $log"
echo "Try: hbreak start_kernel, continue, hl-dmesg, bt"
gdb -q -iex "add-auto-load-safe-path $PWD" \
	-ex "set architecture i386" \
	-ex "file build/kernel.elf" \
	-ex "target remote localhost:$port" \
	-x tools/gdb/highland.py "${batch[@]}"
