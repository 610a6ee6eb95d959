# Batch gdb session run by tests/gdb/run-sigint.sh: let the kernel run at
# its monitor prompt, wait there for the test's SIGINT (sent to the whole
# process group, as a terminal's Ctrl-C is), then prove the kernel stopped
# and QEMU is alive: registers, a step, the helpers.
set pagination off
set confirm off
hbreak monitor_run
continue
delete
echo @@@ RUNNING\n
continue
echo @@@ STOPPED\n
info symbol $pc
stepi
hl-threads
echo @@@ ALIVE\n
kill
quit
