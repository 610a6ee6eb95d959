#!/usr/bin/env bash
# run-sigint.sh - Ctrl-C in `make gdb` must stop the kernel, not kill QEMU.
# A terminal's Ctrl-C sends SIGINT to its whole foreground process group:
# run-gdb.sh runs here in a session of its own, and the SIGINT goes to that
# group while gdb waits in `continue` (tests/gdb/sigint.gdb). gdb must then
# report the stop and still talk to QEMU; QEMU must not say "terminating on
# signal". Then the hl-* helpers without a live target must say so instead
# of reading the ELF file. Prints TAP.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/test-logs/gdb-sigint.out
export GDB_SERIAL_LOG=build/test-logs/gdb-sigint-serial.log
mkdir -p build/test-logs
rm -f "$out" "$GDB_SERIAL_LOG"
setsid tools/gdb/run-gdb.sh --batch tests/gdb/sigint.gdb --mem 512 >"$out" 2>&1 </dev/null &
leader=$!
# A watchdog outside the group (timeout(1) inside it would forward the
# SIGINT a second time, and gdb takes a second Ctrl-C as "give up waiting").
(sleep 90; kill -TERM -- "-$leader") >/dev/null 2>&1 &
watchdog=$!
# gdb is in `continue` once the kernel, resumed after monitor_run, has printed its prompt
for _ in $(seq 600); do grep -q "highland> " "$GDB_SERIAL_LOG" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
kill -INT -- "-$leader" 2>/dev/null
wait "$leader"
kill "$watchdog" 2>/dev/null
n=0 fail=0
check() { # check DESCRIPTION PATTERN [absent]
	n=$((n + 1))
	local found=0
	grep -qE -- "$2" "$out" && found=1
	if [[ ${3:-} == absent ]]; then found=$((1 - found)); fi
	if ((found)); then echo "ok $n $1"
	else echo "not ok $n $1"; echo "    # ${3:+un}expected /$2/ in $out"; fail=$((fail + 1)); fi
}
echo "1..6"
check "the kernel was running when SIGINT came" "^@@@ RUNNING"
check "gdb stopped the kernel (SIGINT reached gdb)" "received signal SIGINT"
check "QEMU did not die of the SIGINT" "terminating on signal" absent
check "after the stop gdb still steps and reads the kernel" "^@@@ ALIVE"
check "hl-threads read the live kernel" "^ +1 +init "
# Without a live target the helpers refuse instead of reading the ELF file.
nolive=$(gdb -q -batch -ex "file build/kernel.elf" -x tools/gdb/highland.py -ex "hl-threads" 2>&1)
n=$((n + 1))
if grep -q "hl-threads: no live target" <<<"$nolive" && ! grep -q "0 tasks" <<<"$nolive"; then
	echo "ok $n hl-* without a live target says so"
else
	echo "not ok $n hl-* without a live target says so"; echo "    # got: $nolive" | head -5
	fail=$((fail + 1))
fi
exit $((fail > 0))
