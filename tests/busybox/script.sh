#!/bin/sh
# /tests/script.sh in the busybox initramfs: the session test (tests/busybox/session.py) runs
# it by its #! line: the kernel's execve reads "#!/bin/sh", runs busybox sh with this path.
echo "script: $0 args=$# first=$1 pid-is-number=$(case $$ in *[!0-9]*) echo no;; *) echo yes;; esac)"
exit 7
