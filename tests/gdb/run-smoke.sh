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
echo "1..12"
check "gdb stops at start_kernel" "^start_kernel in section .text"
check "helpers load" "Highland gdb helpers loaded"
check "hl-cmdline reads the command line" "gdbsmoke=1"
check "hl-e820 reads the boot map" "^BIOS-e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable"
check "hl-dmesg reads the log buffer" "\] Highland .* teaching kernel"
# At start_kernel the CPU runs on the provisional tables (boot/boot.asm):
check "hl-pagewalk follows the live CR3 (boot_pdpt) at start_kernel" \
	"^VA 0xc0100000: .*from CR3 0x[0-9a-f]+ = boot_pdpt"
check "... and finds 0xc0100000 mapped to phys 0x100000" "^  => phys 0x100000 \(pfn 0x100\): 4 KB page"
check "hl-boottables: the boot tables are live" "^boot_pdpt at 0xc[0-9a-f]+ \(phys 0x[0-9a-f]+\): LIVE"
check "hl-boottables: PDPT entries 0 and 3 share one PMD" "^  PDPT\[0\] and PDPT\[3\] share one PMD"
check "hl-boottables: 12 PTE pages, 0-24 MB twice, the guard page unmapped" \
	"^  12 PMD entries present: 0-24 MB mapped at 0 and at 0xc0000000"
check "hl-boottables: the guard page under the boot stack is not mapped" \
	"^  guard page boot_stack_guard 0xc[0-9a-f]+ .*not present"
check "hl-boottables at the monitor: replaced by swapper_pg_dir" \
	"^boot_pdpt at .*: replaced: the CPU walks CR3 0x[0-9a-f]+ = swapper_pg_dir"
exit $((fail > 0))
