# Batch gdb session run by tests/gdb/run-helpers.sh on a kernel that has
# crashed: booted with "meminfo buddyinfo crash=null", it prints its reports,
# dereferences NULL, prints the oops and panics; gdb stops it in
# machine_exit, before QEMU would exit. The helpers must still read it all.
set pagination off
set confirm off
hbreak machine_exit
continue
info symbol $pc
delete
source tests/gdb/testcmds.py
hl-test-value pc $pc
hl-test-run dmesg hl-dmesg
hl-test-run meminfo hl-meminfo
hl-test-run buddyinfo hl-buddyinfo
hl-test-run walk-null hl-pagewalk 0
hl-test-run threads hl-threads
hl-test-run kmap hl-kmap-atomic
kill
quit
