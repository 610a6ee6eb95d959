#!/usr/bin/env bash
# run-gdb.sh - `make gdb`: start QEMU halted with a gdb stub, then a gdb that
# has the kernel's symbols and Highland's helpers loaded. QEMU's serial
# console goes to build/gdb-serial.log (read it with `hl-dmesg` or tail -f).
#
# QEMU runs in a session of its own (setsid): Ctrl-C at this terminal sends
# SIGINT to the foreground process group, and QEMU would die of it
# ("terminating on signal 2"); this way only gdb gets it, and gdb stops the
# kernel, as docs/debugging.md promises for a hang.
#
# Usage: run-gdb.sh [--batch GDB_SCRIPT] [qemu-run options...]
#        run-gdb.sh --attach PORT   gdb only, for a QEMU started elsewhere with
#                                   tools/qemu-run --gdb --gdb-port PORT (make debug)
set -euo pipefail
cd "$(dirname "$0")/../.."
gdb_cmd() { # gdb_cmd PORT [extra gdb args...]
	local port=$1
	shift
	gdb -q -iex "add-auto-load-safe-path $PWD" \
		-ex "set architecture i386" \
		-ex "file build/kernel.elf" \
		-ex "target remote localhost:$port" \
		-x tools/gdb/highland.py "$@"
}
if [[ ${1:-} == --attach ]]; then
	gdb_cmd "${2:?usage: run-gdb.sh --attach PORT}"
	exit
fi
batch=()
if [[ ${1:-} == --batch ]]; then batch=(-batch -x "$2"); shift 2; fi
# GDB_PORT, or a free port (so a test run and a developer's session can coexist)
port=${GDB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("localhost",0)); print(s.getsockname()[1])')}
log=${GDB_SERIAL_LOG:-build/gdb-serial.log}
setsid python3 tools/qemu-run --kernel build/kernel.elf --gdb --gdb-port "$port" --log "$log" \
	"$@" </dev/null &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM
sleep 0.5
echo "QEMU is halted at the first instruction; serial output goes to $log"
echo "Try: hbreak start_kernel, continue, hl-dmesg, bt; Ctrl-C stops the kernel"
gdb_cmd "$port" "${batch[@]}"
