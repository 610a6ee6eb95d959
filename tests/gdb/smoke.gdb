# Batch gdb session run by tests/gdb/run-smoke.sh: stop at start_kernel with
# a hardware breakpoint (paging is on there), then later, and use the helpers.
hbreak start_kernel
continue
info symbol $pc
hl-pagewalk 0xc0100000
hl-boottables
delete
hbreak cpu_detect
continue
hl-cmdline
hl-e820
hl-dmesg
delete
hbreak monitor_run
continue
hl-boottables
kill
quit
