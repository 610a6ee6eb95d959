# Batch gdb session run by tests/gdb/run-memsnap.sh: stop the kernel at the
# monitor (after mm init and its "meminfo" report), take the memview
# snapshot from outside with hl-memsnap, and show that a missing FILE is refused.
set pagination off
set confirm off
set code-cache off
set stack-cache off
hbreak monitor_run
continue
delete
hl-memsnap build/test-logs/gdb-memsnap.txt
echo @@@ refusal\n
python
try:
    gdb.execute("hl-memsnap")
except gdb.error as e:
    print(e)
end
echo @@@ done\n
