#!/usr/bin/env python3
"""session.py - Debian's busybox on Highland, driven through the serial console.

Boots build/kernel.elf with build/initramfs-busybox.cpio (user/busybox/init: busybox sh on
/dev/console) in QEMU, types a session at the shell as a person would, and checks every
step's output; /proc files and the tools' outputs are also compared line by line with what
Linux 6.1 prints (tests/busybox/linux-6.1/*.fmt, fmtcheck.py). Prints TAP; exit 1 on a
failure. The transcript is written to --log (default build/test-logs/busybox-memN.session).

Each command is typed as
    printf '@%s@\\n' B7; COMMAND; printf '@%s:%d@\\n' E7 $?
so the output between "@B7@" and "@E7:<status>@" is the command's alone (the typed line,
echoed, holds neither marker), and its exit status comes with it.

  tests/busybox/session.py --mem 8192 --smp 2
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import fmtcheck  # noqa: E402

FMT = os.path.join(HERE, "linux-6.1")


class Session:
    def __init__(self, mem, smp, log):
        self.cmd = ["qemu-system-i386", "-display", "none", "-no-reboot", "-accel", "tcg",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", str(mem),
                    "-smp", str(smp), "-cpu", "max", "-serial", "stdio",
                    "-kernel", os.path.join(ROOT, "build/kernel.elf"),
                    "-initrd", os.path.join(ROOT, "build/initramfs-busybox.cpio")]
        self.p = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.buf = b""
        self.log = open(log, "wb")
        self.n = 0
        self.dsr = 0  # where to look for the next ESC [6n
        self.dsr_answered = 0

    def _read(self, until):
        """Read serial output until the predicate on the buffer holds or `until` passes."""
        r, _, _ = select.select([self.p.stdout], [], [], max(0.0, min(0.5, until - time.time())))
        if r:
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if chunk:
                self.buf += chunk
                self.log.write(chunk)
                self.log.flush()
                self._answer_dsr()
            return bool(chunk)
        return True

    def _answer_dsr(self):
        """Answer ash's cursor position request (ESC [6n, "device status report") as a
        terminal does: ESC [row;colR, col the column after the text since the last line
        break (escape sequences take none), row the bottom one of a 24-line screen."""
        while True:
            i = self.buf.find(b"\x1b[6n", self.dsr)
            if i < 0:
                self.dsr = max(self.dsr, len(self.buf) - 3)
                return
            line = self.buf[max(self.buf.rfind(b"\n", 0, i), self.buf.rfind(b"\r", 0, i)) + 1:i]
            col = len(re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", line)) + 1
            self.dsr = i + 4
            try:
                self.p.stdin.write(b"\x1b[24;%dR" % col)
                self.p.stdin.flush()
            except (BrokenPipeError, OSError):
                return  # QEMU has ended (poweroff): nobody to answer
            self.dsr_answered += 1

    def wait_for(self, pattern, timeout):
        """The regex match of pattern in the output, or None after timeout s."""
        end = time.time() + timeout
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                return m
            if time.time() >= end or not self._read(end):
                return None

    def type(self, text):
        """Type text on the console, a few bytes at a time (the UART has a 16-byte FIFO)."""
        data = text.encode()
        for i in range(0, len(data), 8):
            self.p.stdin.write(data[i:i + 8])
            self.p.stdin.flush()
            time.sleep(0.01)

    def run(self, command, timeout=60):
        """(output, status, seconds) of one command line; status None on a timeout."""
        self.n += 1
        k = self.n
        start = len(self.buf)
        t0 = time.time()
        sep = " " if command.rstrip().endswith("&") else "; "  # "cmd &; x" is a syntax error
        self.type("printf '@%%s@\\n' B%d; %s%sprintf '@%%s:%%d@\\n' E%d $?\n" % (k, command, sep, k))
        m = self.wait_for(rb"@E%d:(\d+)@" % k, timeout)
        secs = time.time() - t0
        if not m:
            return self.buf[start:].decode("utf-8", "replace"), None, secs
        b = self.buf.find(b"@B%d@\r\n" % k, start)
        b = self.buf.find(b"@B%d@\n" % k, start) if b < 0 else b
        body = self.buf[self.buf.index(b"\n", b) + 1:m.start()] if b >= 0 else b""
        return body.decode("utf-8", "replace").replace("\r", ""), int(m.group(1)), secs

    def close(self):
        try:
            self.p.kill()
        except OSError:
            pass
        self.p.wait()
        self.log.close()


results = []


def ok(name, cond, detail=""):
    results.append((name, bool(cond), detail))
    return bool(cond)


def skip(name, why):
    results.append((name, None, why))


def fmt_ok(name, fmt, text):
    problems = fmtcheck.check(os.path.join(FMT, fmt), text)
    return ok(name, not problems, "; ".join(problems[:2]) + ("\n" + text[-400:] if problems else ""))


def meminfo_values(text):
    return {l.split(":")[0]: int(l.split()[1]) for l in text.splitlines() if ":" in l}


def typed(s, line):
    """Type a command line as it is (no end marker: a job stopped or interrupted by the
    terminal may end the line there); its start marker "@B<k>@" comes first. Returns k."""
    s.n += 1
    s.type("printf '@%%s@\\n' B%d; %s\n" % (s.n, line))
    return s.n


def status_after(s, k, timeout=40):
    """The shell's $? once the line typed as step k has ended (a line of its own), or None."""
    s.type("printf '@%%s:%%d@\\n' E%d $?\n" % k)
    m = s.wait_for(rb"@E%d:(\d+)@" % k, timeout)
    return m and int(m.group(1))


# What busybox 1.35.0's ash prints for the jobs below on Linux (the same binary, driven
# through a pseudo-terminal on a Linux machine: ash's showjob pads the status to column 33).
RUNNING = "[1]+  Running                    sleep %d\n"
STOPPED = "[1]+  Stopped                    sleep 100\n"
TERMINATED = "[1]+  Terminated                 sleep 100"


def ctrl_c(s):
    """Ctrl-C at the console while a foreground `sleep 100` runs. /init's sh has job
    control, so sleep runs in a process group of its own, which the shell makes the
    terminal's foreground group (TIOCSPGRP): ^C typed at the console is SIGINT to that
    group. sleep dies of it, and ash, seeing that its job died of SIGINT, interrupts the
    rest of the line as Linux's ash does (the end marker on the same line never prints);
    $? is 130 long before 100 s."""
    t0 = time.time()
    k = typed(s, "sleep 100; printf '@%s@\\n' X")
    started = s.wait_for(rb"@B%d@\r?\n" % k, 30)
    time.sleep(2.0)
    s.type("\x03")
    st = status_after(s, k)
    secs = time.time() - t0
    ok("Ctrl-C interrupts a running sleep 100 (SIGINT to the terminal's foreground group: 130)",
       started and st == 130 and secs < 60 and b"@X@" not in s.buf[started.end():],
       "status %s after %.1f s" % (st, secs))


# What /proc shows of the job-control shell on Linux 6.x (the same busybox binary on a
# pseudo-terminal, started with every signal at its default): ash ignores SIGQUIT, SIGTERM,
# SIGTSTP and SIGTTOU (0x284004) and catches SIGINT and SIGCHLD (0x10002).
ASH_SIGNALS = ("SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
               "SigBlk:\t0000000000000000\nSigIgn:\t0000000000284004\n"
               "SigCgt:\t0000000000010002\n")
TTYS0 = 0x440  # tty_nr: ttyS0 (4:64) in new_encode_dev's form, as ps reads it


def proc_signal_tty(s):
    """/proc/PID/status's signal masks and stat's tty_nr/tpgid, as Linux shows them."""
    out, st, _ = s.run("grep -E '^(SigQ|SigPnd|ShdPnd|SigBlk|SigIgn|SigCgt)' /proc/$$/status")
    ok("/proc/$$/status: the shell's signal masks as ash sets them on Linux (SigIgn "
       "0x284004, SigCgt 0x10002)", re.fullmatch(r"SigQ:\t0/\d+\n", out[:out.find("\n") + 1])
       and out[out.find("\n") + 1:] == ASH_SIGNALS, repr(out))
    out, st, _ = s.run("cut -d' ' -f1,5,7,8 /proc/self/stat; "
                       "cut -d' ' -f1,5,7,8 /proc/self/stat & wait")
    f = [l.split() for l in out.splitlines()]
    ok("/proc/PID/stat tty_nr %d (ttyS0) and tpgid: a foreground job's own group, a "
       "background job's the shell's (1)" % TTYS0,
       len(f) == 2 and all(len(x) == 4 for x in f) and f[0][0] == f[0][1] == f[0][3]
       and f[0][2] == f[1][2] == str(TTYS0) and f[1][0] == f[1][1] and f[1][3] == "1",
       repr(out))


def job_control(s):
    """ash's job control at the console, each output as busybox's ash prints it on Linux:
    a background job, `jobs`, `fg` and ^C; ^Z stopping a foreground job, `jobs`, `bg`,
    `kill %1`."""
    out, st, _ = s.run("sleep 10 &")
    ok("job control: sleep 10 & starts a background job", st == 0 and out == "", repr(out))
    out, st, _ = s.run("jobs")
    ok("job control: jobs shows it Running", out == RUNNING % 10, repr(out))
    t0 = time.time()
    k = typed(s, "fg")
    fg = s.wait_for(rb"@B%d@\r?\nsleep 10\r?\n" % k, 30)
    time.sleep(1.0)
    s.type("\x03")
    st = status_after(s, k)
    secs = time.time() - t0
    ok("job control: fg brings it to the foreground (prints 'sleep 10'), ^C ends it (130)",
       fg and st == 130 and secs < 9, "status %s after %.1f s" % (st, secs))
    out, st, _ = s.run("jobs")
    ok("job control: no jobs left", out == "", repr(out))

    k = typed(s, "sleep 100")
    started = s.wait_for(rb"@B%d@\r?\n" % k, 30)
    time.sleep(1.5)
    s.type("\x1a")
    notice = s.wait_for(rb"\[1\]\+  Stopped                    sleep 100\r?\n", 20)
    st = status_after(s, k)
    ok("job control: ^Z stops a foreground sleep 100: '%s', $? 148 (128 + SIGTSTP)"
       % STOPPED.strip(), started and notice and st == 148, "status %s" % st)
    out, st, _ = s.run("jobs; cut -d' ' -f3 /proc/$(pidof sleep)/stat")
    ok("job control: jobs shows it Stopped, /proc/PID/stat's state T",
       out == STOPPED + "T\n", repr(out))
    out, st, _ = s.run("bg")
    ok("job control: bg continues it in the background ('[1] sleep 100')",
       out == "[1] sleep 100\n", repr(out))
    out, st, _ = s.run("jobs; cat /proc/$(pidof sleep)/stat | cut -d' ' -f3")
    ok("job control: jobs shows it Running again, its state S (sleeping, not T)",
       out == RUNNING % 100 + "S\n", repr(out))
    start = len(s.buf)
    out, st, _ = s.run("kill %1")
    out2, st2, _ = s.run("jobs")
    # ash reports the ended job once: before the next prompt, or at `jobs`, whichever
    # first sees its status (on Linux too: kill only sends the signal)
    told = s.buf[start:].decode("utf-8", "replace").replace("\r", "").count(TERMINATED + "\n")
    ok("job control: kill %%1 ends it, reported once as '%s'" % TERMINATED,
       st == 0 and out == "" and told == 1, "%r then %r" % (out, out2))
    out, st, _ = s.run("jobs")
    ok("job control: no jobs left", out == "", repr(out))


README_MARK = "<!-- doc-check: skip typed at the busybox shell and compared by tests/busybox/session.py"


def readme_transcript():
    """The README's busybox transcript: [(command, [expected lines])]."""
    text = open(os.path.join(ROOT, "README.md")).read().split("\n")
    i = next(n for n, l in enumerate(text) if l.startswith(README_MARK))
    i = next(n for n in range(i, len(text)) if text[n].startswith("```")) + 1
    steps = []
    while not text[i].startswith("```"):
        if text[i].startswith("~ # "):
            steps.append((text[i][4:], []))
        else:
            steps[-1][1].append(text[i])
        i += 1
    return steps


def line_rx(expected):
    """doc-check's notation: '…' any text inside a line; trailing blanks ignored."""
    return re.compile(".*?".join(re.escape(p) for p in expected.rstrip().split("…")) + r"\Z")


def transcript_ok(expected, got):
    """Each expected line matches the next output line ('...' alone: any lines);
    output after the last expected line is not compared. '' or the problem."""
    got = [g.rstrip() for g in got.split("\n")]
    j = 0
    for n, e in enumerate(expected):
        if e == "...":
            rest = expected[n + 1:]
            if not rest:
                return ""
            while j < len(got) and not line_rx(rest[0]).match(got[j]):
                j += 1
            continue
        if j >= len(got) or not line_rx(e).match(got[j]):
            return "expected %r, got %r" % (e, got[j] if j < len(got) else "<end>")
        j += 1
    return ""


def readme_steps(s):
    """Type the README's transcript; each command's output must match the README's lines."""
    free_high = []
    for cmd, expected in readme_transcript():
        bg = cmd.endswith("&")
        out, st, _ = s.run(cmd[:-1] + "> /dev/null 2>&1 &" if bg else cmd, timeout=120)
        why = "timed out" if st is None else transcript_ok(expected, out)
        ok("README transcript: %s" % cmd[:60], not why, why + "\n" + out[-300:])
        m = re.search(r"zone  HighMem(( +\d+){11})", out)
        if m:
            free_high.append(int(m.group(1).split()[-1]))
    ok("a running program's 256 MB is in HighMem: 64 fewer free 4 MB HighMem blocks",
       len(free_high) == 2 and free_high[0] - free_high[1] >= 60, str(free_high))


def steps(s, mem):
    # a #! script from the initramfs, and one written now
    out, st, _ = s.run("/tests/script.sh a b")
    ok("#! script from the initramfs runs with its arguments (exit 7)",
       st == 7 and "script: /tests/script.sh args=2 first=a pid-is-number=yes" in out, repr(out))
    out, st, _ = s.run("printf '#!/bin/sh\\necho made $1\\n' > /tmp/m.sh; chmod +x /tmp/m.sh; /tmp/m.sh x")
    ok("#! script written in the session runs", st == 0 and out.strip() == "made x", repr(out))

    # /proc/meminfo and free
    mi, st, _ = s.run("cat /proc/meminfo")
    fmt_ok("/proc/meminfo: Linux 6.1's lines, order and columns", "meminfo.fmt", mi)
    v = meminfo_values(mi)
    ok("meminfo: MemTotal = LowTotal + HighTotal, MemFree = LowFree + HighFree",
       v.get("MemTotal") == v.get("LowTotal", 0) + v.get("HighTotal", 0)
       and v.get("MemFree") == v.get("LowFree", 0) + v.get("HighFree", 0), str(v)[:300])
    ok("meminfo: HighTotal is the RAM above 896 MB (%d MB machine)" % mem,
       abs(v.get("HighTotal", 0) - (v.get("MemTotal", 0) - v.get("LowTotal", 0))) == 0
       and v.get("HighTotal", 0) > (mem - 1024) * 1024, "HighTotal %s" % v.get("HighTotal"))
    ok("meminfo: MemAvailable <= MemFree + Cached, Cached > 0 (the initramfs's files)",
       0 < v.get("MemAvailable", 0) <= v.get("MemFree", 0) + v.get("Cached", 0)
       and v.get("Cached", 0) > 1000, "MemAvailable %s Cached %s" % (v.get("MemAvailable"), v.get("Cached")))
    out, st, _ = s.run("free")
    fmt_ok("free: busybox's columns as on Linux 6.1", "busybox-free.fmt", out)
    m = re.search(r"^Mem:\s+(\d+)", out, re.M)
    ok("free: Mem: total equals MemTotal", m and int(m.group(1)) == v.get("MemTotal"),
       "free %s, MemTotal %s" % (m and m.group(1), v.get("MemTotal")))

    # every /proc file the tools read
    for path, fmt in [("/proc/stat", "stat.fmt"), ("/proc/uptime", "uptime.fmt"),
                      ("/proc/loadavg", "loadavg.fmt"), ("/proc/vmstat", "vmstat.fmt"),
                      ("/proc/buddyinfo", "buddyinfo.fmt"), ("/proc/1/stat", "pid-stat.fmt"),
                      ("/proc/1/status", "pid-status.fmt"), ("/proc/1/statm", "pid-statm.fmt"),
                      ("/proc/1/maps", "pid-maps.fmt"), ("/proc/1/smaps_rollup", "pid-smaps_rollup.fmt"),
                      ("/proc/self/stat", "pid-stat.fmt"), ("/proc/self/status", "pid-status.fmt")]:
        out, st, _ = s.run("cat " + path)
        fmt_ok("%s: Linux 6.1's format" % path, fmt, out)
        if path == "/proc/vmstat":
            order = [l for l in open(os.path.join(FMT, "vmstat-order.txt")).read().split("\n")
                     if l and not l.startswith("#")]
            names = [l.split()[0] for l in out.splitlines() if l.strip()]
            pos = [order.index(n) if n in order else -1 for n in names]
            ok("/proc/vmstat: every name is Linux 6.1's, in its order",
               -1 not in pos and pos == sorted(pos), str(list(zip(names, pos)))[:300])
        if path == "/proc/buddyinfo" and mem > 1024:
            ok("/proc/buddyinfo: a HighMem line", "zone  HighMem" in out, out)
        if path == "/proc/1/stat":
            f = out.split(") ")[1].split() if ") " in out else []
            ok("/proc/1/stat: 52 fields, pid 1, comm (sh)", out.startswith("1 (sh) ")
               and len(f) == 50, repr(out[:120]))
    out, st, _ = s.run("cat /proc/1/cmdline | tr '\\0' ' '; echo")
    ok("/proc/1/cmdline: pid 1 is sh", out.strip() == "sh", repr(out))
    out, st, _ = s.run("for f in min_free_kbytes overcommit_memory overcommit_ratio swappiness; "
                       "do printf '%s=' $f; cat /proc/sys/vm/$f; done")
    ok("/proc/sys/vm: min_free_kbytes, overcommit_memory, overcommit_ratio, swappiness",
       re.fullmatch(r"min_free_kbytes=\d+\novercommit_memory=0\novercommit_ratio=50\n"
                    r"swappiness=\d+\n", out), repr(out))
    out, st, _ = s.run("sysctl vm.overcommit_ratio")
    ok("sysctl reads /proc/sys/vm", out.strip() == "vm.overcommit_ratio = 50", repr(out))

    # ps, uptime, top
    out, st, _ = s.run("ps")
    ok("ps: header and PID 1 (sh, root)", out.startswith("PID   USER     COMMAND\n")
       and re.search(r"^\s*1 root\s+sh$", out, re.M), out)
    out, st, _ = s.run("uptime")
    fmt_ok("uptime: busybox's line, load averages from sysinfo", "busybox-uptime.fmt", out)
    out, st, _ = s.run("top -b -n 1 | head -n 4")
    ok("top -b: memory, CPU, load average and its header from /proc",
       re.match(r"Mem: \d+K used, \d+K free, 0K shrd, 0K buff, \d+K cached\n"
                r"CPU: .*idle.*\nLoad average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+\n"
                r"\s+PID\s+PPID USER\s+STAT\s+VSZ %VSZ( CPU)? %CPU COMMAND\n", out), out)

    # the shell itself
    out, st, _ = s.run("echo hello world | tr a-z A-Z | wc -c; seq 1 1000 | grep 7 | wc -l")
    ok("pipelines: echo | tr | wc, seq | grep | wc", out.split() == ["12", "271"], repr(out))
    out, st, _ = s.run("echo line1 > /tmp/r; echo line2 >> /tmp/r; cat < /tmp/r; wc -l < /tmp/r")
    ok("redirection to a file and back (>, >>, <)", out == "line1\nline2\n2\n", repr(out))
    out, st, _ = s.run("echo $((6*7)) $((2**10)) $((17 % 5)) $(( (1<<20) / 3 )) $((-7 / 2))")
    ok("shell arithmetic", out.strip() == "42 1024 2 349525 -3", repr(out))
    # ash's `wait` sleeps in sigsuspend until SIGCHLD reaches its handler, and Ctrl-C is
    # SIGINT from the tty: both need signal handlers. Probe for them: a trapped signal, in a
    # child shell (without handlers, SIGUSR1's default action ends it, not the session).
    out, st, _ = s.run("sh -c 'trap \"echo caught\" USR1; kill -USR1 $$; echo after'")
    handlers = out.split() == ["caught", "after"]
    if not handlers:
        why = "no signal handlers in this kernel (trap USR1 printed %r)" % out.strip()
        skip("sleep 1 & wait: waits for the background job (>= 1 s)", why)
        skip("two background sleeps, wait for all", why)
        skip("Ctrl-C interrupts a running sleep 100", why)
        skip("job control: sleep &, jobs, fg, ^C, ^Z, bg, kill %1", why)
    else:
        out, st, secs = s.run("sleep 1 & wait $!; echo waited=$?")
        ok("sleep 1 & wait: waits for the background job (>= 1 s)", out.strip() == "waited=0"
           and secs >= 1.0, "%r after %.2f s" % (out, secs))
        out, st, secs = s.run("sleep 1 & sleep 1 & wait; echo both")
        ok("two background sleeps, wait for all", out.strip() == "both" and 1.0 <= secs < 10,
           "%r after %.2f s" % (out, secs))
        ctrl_c(s)
        job_control(s)
    proc_signal_tty(s)
    out, st, _ = s.run("while :; do :; done & sleep 11; cat /proc/loadavg; kill $!", timeout=90)
    m = re.match(r"(\d+\.\d\d) \d+\.\d\d \d+\.\d\d (\d+)/(\d+) (\d+)$", out.strip())
    ok("/proc/loadavg: a busy loop for 11 s (two 5 s samples) lifts the 1-minute load",
       m and float(m.group(1)) >= 0.10 and int(m.group(2)) >= 2, repr(out))
    out, st, _ = s.run("dd if=/dev/zero of=/dev/null bs=1M count=64 2>&1")
    fmt_ok("dd if=/dev/zero of=/dev/null bs=1M count=64: 64 MB copied", "busybox-dd.fmt", out)

    # files: the RAM filesystem's calls (rename, links, chmod, truncate, umask, times)
    out, st, _ = s.run(
        "cd /tmp && mkdir -p d/e && echo data > d/f && mv d/f d/g && ln -s g d/l && "
        "ln d/g d/h && chmod 600 d/g && readlink d/l && cat d/l && stat -c '%a %h %s' d/g && "
        "truncate -s 10000 d/g && stat -c %s d/h && rm d/g && stat -c %h d/h && "
        "umask 077 && touch d/u && stat -c %a d/u && rmdir d/e && ls -1 d && umask 022 && cd /")
    ok("files: mkdir -p, mv, ln -s, ln, chmod, readlink, truncate, rm, umask, rmdir, ls",
       st == 0 and out == "g\ndata\n600 2 5\n10000\n1\n600\nh\nl\nu\n", repr(out))
    out, st, _ = s.run("ls /bin | wc -l; readlink /bin/ls; df /proc >/dev/null; echo df=$?")
    ok("busybox --install -s made the applet links; df reads /proc/mounts",
       re.fullmatch(r"\d{3}\n/bin/busybox\ndf=0\n", out) and int(out.split()[0]) > 250, repr(out))
    if mem == 8192:
        readme_steps(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mem", type=int, default=2048)
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--log")
    ap.add_argument("--reboot", action="store_true",
                    help="only boot and type `reboot -f`: Linux's RESTART command resets the "
                         "machine (QEMU's -no-reboot turns the reset into exit status 0)")
    a = ap.parse_args()
    log = a.log or os.path.join(ROOT, "build/test-logs/busybox-mem%d.session" % a.mem)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    s = Session(a.mem, a.smp, log)
    try:
        boot = s.wait_for(r"Highland: busybox v1\.35\.0 on /dev/console", 120)
        ok("boot: /init mounts /proc, installs the applets and starts sh",
           boot and b"init: cannot" not in s.buf and b"failed" not in s.buf,
           s.buf[-300:].decode("utf-8", "replace"))
        ok("console input by interrupt: IRQ 4 through the I/O APIC, no ttyS0-rx polling thread "
           "(every key of this session arrives that way)",
           b"ttyS0: input by interrupt (IRQ 4 through the I/O APIC); no polling thread" in s.buf
           and b"ttyS0-rx" not in s.buf, "no such line in the boot log")
        if boot and a.reboot:
            s.wait_for(r"# ", 30)
            s.type("reboot -f\n")
            try:
                rc = s.p.wait(30)
            except subprocess.TimeoutExpired:
                rc = None
            s._read(time.time() + 1)
            ok("reboot -f: 'reboot: Restarting system' and the machine resets (QEMU status 0)",
               rc == 0 and b"reboot: Restarting system" in s.buf,
               "QEMU status %s" % rc)
        elif boot:
            s.wait_for(r"# ", 30)
            steps(s, a.mem)
            text = s.buf.decode("utf-8", "replace")
            ok("the console shell has job control all along (no 'job control turned off', "
               "no 'can't set tty process group'); ESC [6n answered %d times" % s.dsr_answered,
               "job control turned off" not in text and "can't set tty process group" not in text
               and s.dsr_answered > 0,
               "\n".join(l for l in text.splitlines() if "job control" in l or "tty process" in l)[:300])
            s.type("poweroff -f\n")
            try:
                rc = s.p.wait(30)
            except subprocess.TimeoutExpired:
                rc = None
            s._read(time.time() + 1)
            ok("poweroff -f: 'reboot: Power down', QEMU exits with the pass status 33",
               rc == 33 and b"reboot: Power down" in s.buf, "QEMU status %s" % rc)
    finally:
        s.close()
    print("TAP version 13")
    print("1..%d" % len(results))
    for i, (name, good, detail) in enumerate(results, 1):
        if good is None:
            print("ok %d - %s # SKIP %s" % (i, name, detail))
            continue
        print("%s %d - %s" % ("ok" if good else "not ok", i, name))
        if not good and detail:
            for line in str(detail).splitlines()[:12]:
                print("#   " + line)
    print("# transcript: %s" % os.path.relpath(log, ROOT))
    return 0 if all(g is not False for _, g, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
