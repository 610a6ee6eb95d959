"""matrix_jobs - the configurations tools/test-matrix runs: one Job per QEMU boot or
hosted suite, with what its log must show.

Split out of tools/test-matrix so that the runner (scheduling, TAP/KTAP parsing, the
table) and the job tables can each be read in one sitting. The list of configurations
with a line on each stays in test-matrix's docstring, which `--list` prints.
"""
import dataclasses
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hl_common as hc  # noqa: E402

qr = hc.load_tool("qemu-run")

HANG_TIMEOUT = 15     # crash=hang: how long to wait before calling it a hang
SHORT_TIMEOUT = 60    # failure paths that must end by themselves
CPU_TIMEOUT = 30      # "exit 35 quickly"
HOST_TIMEOUT = 600    # hosted unit tests (ASAN build)
# faults-smp2: every allocation after boot fails with probability 5% (Linux's syntax:
# <interval>,<probability>,<space>,<times>)
FAULT_INJECTION = "fail_page_alloc=1,5,0,-1 failslab=1,5,0,-1"


@dataclasses.dataclass
class Job:
    name: str
    kind: str                 # 'tap' | 'ktap' | 'nopae' | 'expect-fail'
    quick: bool = False
    priority: int = 0         # higher starts first (long runs first)
    cfg: object = None        # qemu_run.Config for QEMU jobs
    cmd: list = None          # command for 'tap' jobs
    expect: str = None        # failure kind for 'expect-fail'
    needs: str = None         # 'tap': file that must exist (else: run make)
    injects: bool = False     # 'ktap' under fault injection: failures must have been injected
    cpus: int = None          # 'ktap': CPUs that must come up (default: the -smp count)
    log_must: tuple = ()      # 'ktap', 'expect-fail': (regex, what it proves) pairs the log must match
    must_log: tuple = ()      # strings the serial log must contain (any kind of QEMU job)
    prepare: object = None    # cfg -> cfg, run in the worker before booting (e.g. build an ISO)
    check: object = None      # (log, text) -> (ok, text): a further check of a passing run
    exit_fail: bool = False   # the kernel itself must exit FAIL (35), not only the checker say so


@dataclasses.dataclass
class Outcome:
    name: str
    ok: bool
    passed: int
    failed: int
    skipped: int
    seconds: float
    text: str                 # the one-line reason


def make_jobs(a):
    """Every configuration, in table order."""
    def boot(**kw):
        base = dict(kernel=a.kernel, cmdline="ktest=all", timeout=a.timeout)
        base.update(kw)
        return qr.Config(**base)

    def iso(mem):
        return boot(kernel=None, iso=a.iso, iso_kernel=a.kernel, mem=mem)

    py = sys.executable or "python3"
    harness = hc.repo_path("tests/harness/test_ktap_check.py")
    short = min(a.timeout, SHORT_TIMEOUT)
    return [
        Job("host-unit", "tap", True, 1, cmd=[a.host_unit], needs=a.host_unit),
        Job("host-ktap-check", "tap", True, 1, cmd=[py, harness, "--tap"], needs=harness),
        Job("monitor", "tap", True, 3, cmd=[py, hc.repo_path("tests/monitor/test_monitor.py")],
            needs=a.kernel),
        Job("gdb-smoke", "tap", True, 2, cmd=["bash", hc.repo_path("tests/gdb/run-smoke.sh")],
            needs=a.kernel),
        Job("gdb-helpers", "tap", True, 2, cmd=["bash", hc.repo_path("tests/gdb/run-helpers.sh")],
            needs=a.kernel),
        Job("doc-check", "tap", True, 4,
            cmd=[py, hc.repo_path("tools/doc-check"), "--tap", "--kernel", a.kernel],
            needs=a.kernel),
        Job("gdb-sigint", "tap", True, 2, cmd=["bash", hc.repo_path("tests/gdb/run-sigint.sh")],
            needs=a.kernel),
        Job("iso-mem512", "ktap", False, 5, iso(512)),
        Job("iso-mem2048", "ktap", True, 5, iso(2048)),
        Job("iso-mem8192", "ktap", False, 9, iso(8192)),
        Job("kernel-mem2048", "ktap", True, 5, boot(mem=2048)),
        Job("smp4-mem8192", "ktap", True, 9, boot(mem=8192, smp=4)),
        Job("noacpi-smp4", "ktap", False, 5,
            boot(mem=2048, smp="4,sockets=4", extra=["-no-acpi"]),
            log_must=((r"smp: 4 CPU\(s\) described by the MP table", "the MP table's CPUs"),)),
        Job("options-mem2048", "ktap", False, 5,
            boot(mem=2048, cmdline="ktest=all mem=1024M vmalloc=256M debug_pagealloc=on")),
        Job("faults-smp2", "ktap", True, 6,
            boot(mem=2048, smp=2, cmdline="ktest=all " + FAULT_INJECTION), injects=True),
        Job("qemu32-mem8192", "ktap", False, 5, boot(mem=8192, cpu="qemu32")),
        Job("cpu-486", "nopae", True, 2, boot(cpu="486", timeout=min(a.timeout, CPU_TIMEOUT))),
        Job("cpu-pentium", "nopae", False, 2,
            boot(cpu="pentium", timeout=min(a.timeout, CPU_TIMEOUT))),
        Job("cpu-pentium2", "ktap", True, 4, boot(mem=2048, cpu="pentium2"),
            log_must=((r"\(no sse2: rdtsc unfenced\)", "lfence left out"),)),
        Job("cpu-pentium3", "ktap", False, 4, boot(mem=2048, cpu="pentium3"),
            log_must=((r"\(no sse2: rdtsc unfenced\)", "lfence left out"),)),
        Job("cpu-nocx8", "nopae", False, 2,
            boot(cpu="max,-cx8", timeout=min(a.timeout, CPU_TIMEOUT)),
            expect="Highland needs a CPU with CMPXCHG8B"),
        Job("noapic-mem2048", "ktap", True, 4, boot(mem=2048, cpu="max,-apic"),
            log_must=((r"the tick comes from the PIT", "the PIT tick"),
                      (r"^ *ok \d+ test_tick_from_the_timer_the_cpu_has\b",
                       "sched/test_tick_from_the_timer_the_cpu_has run and passed"))),
        Job("microvm-smp2", "ktap", True, 4, boot(mem=2048, smp=2, machine="microvm"),
            log_must=((r"tsc: TSC calibration using PIT channel 0", "a source microvm has"),
                      (r"smp: 2 CPU\(s\) described by the ACPI MADT", "the MADT via the XSDT"),
                      (r"tsc: Detected \d+\.\d+ MHz processor", "a calibrated TSC"))),
        Job("microvm-nopit", "ktap", False, 4,
            boot(mem=2048, smp=2, machine="microvm,pit=off"),
            log_must=((r"tsc: PIT channel 0 \(counter read back\): not available",
                       "the missing PIT detected"),
                      (r"tsc: TSC calibration using the CMOS RTC", "the RTC as the source"),
                      (r"tsc: Detected \d+\.\d+ MHz processor", "a calibrated TSC"))),
        Job("microvm-lateap", "ktap", True, 4,
            boot(mem=2048, smp=2, machine="microvm", cmdline="ktest=all smpboot_test=late_ap"),
            cpus=1,
            log_must=((r"smpboot: CPU 1 .*gave up on it", "CPU 1 given up on"),
                      (r"smpboot: CPU 1 .*parked itself.*nothing wrote to it",
                       "the late CPU 1 parked, its freed stack untouched"),
                      (r"^ *ok \d+ test_late_ap_parked_safely", "smp/test_late_ap_parked_safely"))),
        Job("fail-selftest", "expect-fail", True, 3,
            boot(cmdline="ktest=ktest_selftest_fail", timeout=short), expect="test-failed"),
        Job("fail-panic", "expect-fail", True, 3, boot(cmdline="crash=panic", timeout=short),
            expect="panic"),
        Job("fail-hang", "expect-fail", False, 8,
            boot(cmdline="crash=hang", timeout=min(a.timeout, HANG_TIMEOUT)), expect="hang"),
        Job("fail-overflow", "expect-fail", True, 3,
            boot(cmdline="crash=overflow", timeout=short), expect="oops"),
        Job("fail-null", "expect-fail", True, 3,
            boot(cmdline="crash=null", timeout=short), expect="oops"),
        Job("fail-guard", "expect-fail", True, 3,
            boot(cmdline="crash=guard", timeout=short), expect="oops"),
        Job("fail-triple", "expect-fail", True, 3, boot(cmdline="crash=triple", timeout=short),
            expect="reset"),
    ] + bad_input_jobs(a, boot, short) + user_jobs(a, boot) + swap_jobs(a, boot, short) + reclaim_jobs(a, boot) + reclaim_lowmem_jobs(a, boot) + busybox_jobs() + memview_jobs(a)


# ---- issue 19: pictures of memory (tools/memview, docs/memview.md) ----------------
def memview_jobs(a):
    """The pages in a real browser, and the tool on synthetic snapshots."""
    py = sys.executable or "python3"
    return [
        Job("memview-browser", "tap", True, 3,
            cmd=[py, hc.repo_path("tests/browser/test_memview.py")], needs=a.kernel),
        Job("gdb-memsnap", "tap", True, 2, cmd=["bash", hc.repo_path("tests/gdb/run-memsnap.sh")],
            needs=a.kernel),
        Job("memview-tool", "tap", True, 1,
            cmd=[py, hc.repo_path("tests/memview/test_memview.py")],
            needs=hc.repo_path("tests/memview/test_memview.py")),
    ]


# ---- issue 15: user space ----------------------------------------------------------
# The Highland boots of the user suite: on (HL_USERSPACE=0 turns them off for one run,
# e.g. to bisect a kernel change without user space).
USERSPACE_JOBS = os.environ.get("HL_USERSPACE", "1") == "1"
USER_TIMEOUT = 900    # the suite writes 5 GB at -m 8192 under TCG
USER_INITRD = "build/initramfs-test.cpio"


def user_jobs(a, boot):
    """The user suite on the host (always) and as Highland's init (behind the switch)."""
    runner = hc.repo_path("build/tests/user/runner")
    jobs = [
        Job("user-qemu-i386", "tap", True, 2,
            cmd=["env", "HL_TEST_WRAPPER=" + (shutil.which("qemu-i386") or "qemu-i386"),
                 "qemu-i386", runner, hc.repo_path("build/tests/user")], needs=runner),
        Job("mkinitramfs", "tap", True, 1,
            cmd=[sys.executable or "python3", hc.repo_path("tests/user/test_mkinitramfs.py"),
                 "--tap"], needs=hc.repo_path("tests/user/test_mkinitramfs.py")),
    ]
    if not USERSPACE_JOBS:
        return jobs
    initrd = hc.repo_path(USER_INITRD)
    done = ("init exited with status 0",)
    for name, mem, smp in (("user-mem512", 512, 1), ("user-mem2048", 2048, 1),
                           ("user-mem8192", 8192, 1), ("user-smp4-mem8192", 8192, 4)):
        jobs.append(Job(name, "ktap", False, 9 if mem == 8192 else 5,
                        boot(mem=mem, smp=smp, cmdline="", initrd=initrd,
                             timeout=max(a.timeout, USER_TIMEOUT)), must_log=done))
    jobs += tty_jobs(a, boot, initrd)
    return jobs


# ---- issue 16, the device side: ATA disks and swap areas (docs/swap.md) -------------
# Images from `make swap-images` (util-linux's mkswap); each job boots its own sparse copy
# (QEMU locks an image it writes) and a fresh 64 MB scratch disk as sdb, which the ata and
# swapfile suites overwrite.
SWAP_BAD_SLOT = 1000            # swap-diskerror: QEMU fails I/O on this slot of sda ...
SWAP_BAD_SECTOR = SWAP_BAD_SLOT * 8 + 3   # ... by failing this sector of it
SWAP_LINE = "Adding 786428k swap on /dev/sda.  Priority:-2 extents:1 across:786428k"


def swap_disks(image, scratch=True, bad_sector=None, truncate_to=None, scratch_size="64M"):
    """A prepare step: copies of build/<image> (None: a zeroed 16 MB disk) and a scratch disk."""
    def prepare(cfg):
        d = os.path.dirname(cfg.log)
        name = os.path.splitext(os.path.basename(cfg.log))[0]
        disk = os.path.join(d, name + "-sda.img")
        if os.path.exists(disk):
            os.unlink(disk)
        if image:
            src = hc.repo_path(os.path.join("build", image))
            if not os.path.isfile(src):
                raise OSError("%s not found (make swap-images builds it)" % src)
            subprocess.run(["cp", "--sparse=always", src, disk], check=True, timeout=120)
        else:
            subprocess.run(["truncate", "-s", "16M", disk], check=True, timeout=60)
        if truncate_to:
            subprocess.run(["truncate", "-s", truncate_to, disk], check=True, timeout=60)
        disks = [disk if bad_sector is None else (disk, bad_sector)]
        if scratch:
            sdb = os.path.join(d, name + "-sdb.img")
            if os.path.exists(sdb):
                os.unlink(sdb)
            subprocess.run(["truncate", "-s", scratch_size, sdb], check=True, timeout=60)
            disks.append(sdb)
        return dataclasses.replace(cfg, disks=disks)
    return prepare


def no_swap_skips(log, text):
    """The disk suites must have run every case (only the injected-error and LBA48 ones,
    which need their own jobs, may skip)."""
    skips = [l.strip() for l in log.splitlines()
             if "# SKIP" in l and re.search(r"ok \d+ test_", l) and "injected" not in l
             and "lba48" not in l
             and ("swap" in l or "ata" in l or "sector" in l or "disk" in l or "sdb" in l)]
    if skips:
        return False, "a disk case skipped: %s" % skips[0]
    return True, text


def swap_jobs(a, boot, short):
    suites = "ktest=ata,swapfile swapon=/dev/sda"
    ata_line = ("ata1.00: ATA-7: QEMU HARDDISK, 2.5+, max UDMA/100",
                "sd 0:0:0:0: [sda] 1572864 512-byte logical blocks: (805 MB/768 MiB)")
    return [
        Job("swap-mem512", "ktap", True, 5, boot(mem=512, cmdline=suites),
            prepare=swap_disks("swap-768M.img"), check=no_swap_skips,
            must_log=ata_line + (SWAP_LINE, "sd 0:0:1:0: [sdb] 131072 512-byte logical blocks: "
                                 "(67.1 MB/64.0 MiB)")),
        Job("swap-smp2-mem2048", "ktap", False, 5, boot(mem=2048, smp=2, cmdline=suites),
            prepare=swap_disks("swap-1536M.img"), check=no_swap_skips,
            must_log=("Adding 1572860k swap on /dev/sda.  Priority:-2 extents:1 across:1572860k",
                      "(1.61 GB/1.50 GiB)")),
        Job("swap-mem8192", "ktap", False, 6, boot(mem=8192, cmdline=suites),
            prepare=swap_disks("swap-768M.img"), check=no_swap_skips, must_log=(SWAP_LINE,)),
        Job("swap-diskerror", "ktap", True, 4,
            boot(mem=2048, cmdline="%s swaptest_bad_slot=%d ata_test_bad_sector=%d"
                 % (suites, SWAP_BAD_SLOT, SWAP_BAD_SECTOR)),
            prepare=swap_disks("swap-768M.img", bad_sector=SWAP_BAD_SECTOR),
            log_must=((r"^ *ok \d+ test_injected_disk_error\r?$", "the swap I/O error case ran"),
                      (r"^ *ok \d+ test_ata_injected_error\r?$", "the ATA error case ran")),
            must_log=("ata1.00: error: { ABRT }", "I/O error, dev sda, sector %d op 0x1:(WRITE)"
                      % (SWAP_BAD_SLOT * 8), "Write-error on swap-device (8:0:%d)"
                      % (SWAP_BAD_SLOT * 8), "Read-error on swap-device (8:0:%d)"
                      % (SWAP_BAD_SLOT * 8))),
        # the PIO path the DMA one replaced, kept working (libata.dma=0, Linux's option)
        Job("swap-pio-mem512", "ktap", False, 5, boot(mem=512, cmdline=suites + " libata.dma=0"),
            prepare=swap_disks("swap-768M.img"), check=no_swap_skips,
            must_log=("ata1: PATA max UDMA/100 cmd 0x1f0 ctl 0x3f6 irq 14 (polled, libata.dma=0)",
                      SWAP_LINE)),
        Job("swap-lba48", "ktap", False, 3, boot(mem=512, cmdline="ktest=ata"),
            prepare=swap_disks("swap-768M.img", scratch_size="130G"), check=no_swap_skips,
            log_must=((r"^ *ok \d+ test_ata_lba48_beyond_128g\r?$", "the LBA48 case ran"),),
            must_log=("ata1.01: 272629760 sectors, multi 16: LBA48",
                      "sd 0:0:1:0: [sdb] 272629760 512-byte logical blocks: (140 GB/130 GiB)")),
        Job("swap-zeroed-disk", "ktap", False, 3,
            boot(mem=512, cmdline="ktest=printk swapon=/dev/sda", timeout=short),
            prepare=swap_disks(None, scratch=False),
            must_log=("swapon: /dev/sda: Unable to find swap-space signature",
                      "swapon=/dev/sda: not turned on (error -22)")),
        Job("swap-truncated-image", "ktap", False, 3,
            boot(mem=512, cmdline="ktest=printk swapon=/dev/sda", timeout=short),
            prepare=swap_disks("swap-768M.img", scratch=False, truncate_to="64M"),
            must_log=("swapon: /dev/sda: Swap area shorter than signature indicates: the header "
                      "says 196608 pages, the device has 16384",
                      "swapon=/dev/sda: not turned on (error -22)")),
    ]


# ---- issue 16, the memory side: reclaim, swap-out/in, swapoff, OOM (docs/reclaim.md) ----
# tests/user/swapload.c as init over a mkswap'ed disk: workers of 1.3x RAM in all keep
# their pages through swap, swapoff under load loses nothing, the OOM killer ends a
# hog that wants more than RAM + swap (skipped where one address space cannot).
RECLAIM_BIG = os.environ.get("HL_RECLAIM_BIG") != "0"  # HL_RECLAIM_BIG=0: without the 2 GB job


def fresh_swap_disk(name, size):
    """A prepare step: a fresh swap area of size made by util-linux's mkswap, as sda
    (build/test-logs/<name>; QEMU locks an image, so each job has its own)."""
    def prepare(cfg):
        disk = os.path.join(os.path.dirname(cfg.log), name)
        if os.path.exists(disk):
            os.unlink(disk)
        subprocess.run(["truncate", "-s", size, disk], check=True, timeout=60)
        subprocess.run([shutil.which("mkswap") or "/sbin/mkswap", "-q", disk], check=True,
                       timeout=60)
        return dataclasses.replace(cfg, disks=[disk])
    return prepare


def reclaim_jobs(a, boot):
    if not USERSPACE_JOBS:
        return []
    initrd = hc.repo_path(USER_INITRD)
    cmd = "rdinit=/tests/swapload swapon=/dev/sda"
    done = ("init exited with status 0",)
    return [
        Job("reclaim-mem512", "ktap", True, 5,
            boot(mem=512, cmdline=cmd, initrd=initrd, timeout=max(a.timeout, 600)),
            prepare=swap_disks("swap-768M.img", scratch=False), must_log=done + (SWAP_LINE,)),
        Job("reclaim-oom-mem512", "ktap", True, 3,
            boot(mem=512, cmdline=cmd, initrd=initrd, timeout=max(a.timeout, 600)),
            prepare=fresh_swap_disk("reclaim-oom-sda.img", "64M"),
            must_log=done + ("Out of memory: Killed process",)),
    ] + ([] if not RECLAIM_BIG else [
        # 1.3x of 2 GB through the disk under TCG: 10-11 minutes on the loaded build host
        # (load 9-12; the code before swap I/O by runs and readahead did not finish its
        # first case in 20); CPU-bound in the guest (docs/reclaim.md). Starts first.
        Job("reclaim-smp2-mem2048", "ktap", False, 10,
            boot(mem=2048, smp=2, cmdline=cmd, initrd=initrd, timeout=max(a.timeout, 2400)),
            prepare=swap_disks("swap-1536M.img", scratch=False), must_log=done),
    ])


# ---- issue 16, lowmem pressure in QEMU (docs/reclaim.md, "Lowmem pressure") ----
# swapload's lowmem_pressure case as init at -m 1024 userpte=nohigh: a
# ballast placed in lowmem, then user page tables eat the Normal zone while HighMem stays
# free; reclaim swaps the ballast out, nobody is OOM-killed, every page comes back.
# Its disk is not on at boot: the test turns it on once its ballast is in lowmem.
def reclaim_lowmem_jobs(a, boot):
    if not USERSPACE_JOBS:
        return []
    cmd = "rdinit=/tests/swapload userpte=nohigh"
    return [
        Job("reclaim-lowmem-mem1024", "ktap", True, 4,
            boot(mem=1024, cmdline=cmd, initrd=hc.repo_path(USER_INITRD),
                 timeout=max(a.timeout, 300)),
            prepare=fresh_swap_disk("reclaim-lowmem-sda.img", "256M"),
            must_log=("init exited with status 0", "ok 4 lowmem_pressure")),
    ]


# ---- issue 17: Debian's busybox as Highland's user space (tests/busybox/session.py) ----
def busybox_jobs():
    """The scripted busybox session at 2 and 8 GB with two CPUs."""
    py = sys.executable or "python3"
    script = hc.repo_path("tests/busybox/session.py")
    return [Job("busybox-mem%d" % mem, "tap", mem == 2048, 6,
                cmd=[py, script, "--mem", str(mem), "--smp", "2"],
                needs=hc.repo_path("build/initramfs-busybox.cpio"))
            for mem in (2048, 8192)] + [
        Job("busybox-reboot", "tap", False, 1, cmd=[py, script, "--mem", "512", "--smp", "1",
            "--reboot", "--log", hc.repo_path("build/test-logs/busybox-reboot.session")],
            needs=hc.repo_path("build/initramfs-busybox.cpio"))]


# ---- issue 17: the console terminal with keys typed at it -------------------------
# tests/user/tty_input.c runs as init and prints @@ready:NAME@@ before each read; qemu-run
# types the keys (Python escapes) into the serial port when it sees the marker.
TTY_KEYS = (("@@ready:canon@@", r"hellx\x7fo worx\x08ld\r"), ("@@ready:kill@@", r"junk\x15ok\r"),
            ("@@ready:eof@@", r"\x04"), ("@@ready:raw@@", "xyz"), ("@@ready:noisig@@", r"\x03\r"),
            ("@@ready:intr@@", r"\x03"), ("@@ready:susp@@", r"\x1a"),
            ("@@ready:eintr@@", r"\x03"), ("@@ready:poll@@", "p"))


def tty_jobs(a, boot, initrd):
    """tty-console: canonical and raw reads, ^C/^Z to the foreground job, typed at the console."""
    return [Job("tty-console-smp2", "ktap", True, 3,
                boot(mem=512, smp=2, cmdline="rdinit=/tests/tty_input", initrd=initrd,
                     type_after=list(TTY_KEYS), timeout=max(a.timeout, 300)),
                must_log=("init exited with status 0", "^C",
                          "ttyS0: input by interrupt (IRQ 4 through the I/O APIC); no polling thread"))
            ] + tty_poll_jobs(a, boot, initrd)


# ---- issue 17: the console's input polled where there is no I/O APIC (fs/tty.c) ----
def tty_poll_jobs(a, boot, initrd):
    """The same keys on QEMU's isapc (no I/O APIC: its MP table lists one, nothing answers)."""
    return [Job("tty-console-isapc", "ktap", True, 3,
                boot(mem=512, smp=1, machine="isapc", cmdline="rdinit=/tests/tty_input",
                     initrd=initrd, type_after=list(TTY_KEYS), timeout=max(a.timeout, 300)),
                must_log=("init exited with status 0", "^C",
                          "ttyS0: input polled every 10 ms by the ttyS0-rx thread"))]


# ---- issue 20: bad input, wrong passes, lost memory -------------------------------
# GRUB's badram on a 3000 MB machine: 1 MB of every 8 MB from 1 GB to ~2.9 GB is left
# out of the map, 250+ entries (the old 128-entry table lost ~850 MB after entry 128).
BADRAM = "0x40500000,0xc0700000,0x80500000,0xc0700000"
BADRAM_MB = 3000
BADRAM_BAD_MB = 128 + 119   # bad 1 MB chunks below 0xbb7e0000, where QEMU's RAM ends


def grub_iso(cfg, name, edit_grub, files=()):
    """A GRUB ISO of the job's kernel next to its log, its grub.cfg passed through
    edit_grub, with files [(source, /boot/name)] added; cfg boots it."""
    d = os.path.join(os.path.dirname(cfg.log), name)
    iso = os.path.join(d, name.replace("-iso", "") + ".iso")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "isodir", "boot", "grub"))
    for src, dest in [(cfg.iso_kernel, "kernel.elf")] + list(files):
        shutil.copyfile(src, os.path.join(d, "isodir", "boot", dest))
    with open(os.path.join(d, "isodir", "boot", "grub", "grub.cfg"), "w") as f:
        f.write(edit_grub(qr.grub_cfg(cfg.cmdline)))
    subprocess.run(["grub-mkrescue", "-o", iso, os.path.join(d, "isodir")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return dataclasses.replace(cfg, iso=iso, cmdline=None)


def badram_iso(cfg):
    """A GRUB ISO whose grub.cfg runs `badram` before loading the kernel."""
    return grub_iso(cfg, "badram-iso",
                    lambda g: g.replace("multiboot2 ", "badram %s\nmultiboot2 " % BADRAM))


def _initrd_cpio(cfg, ballast_mb=0):
    """tests/fs/mkcpio.py's archive, next to the job's log (with a ballast of
    ballast_mb megabytes when asked)."""
    name = "fs-initrd-big.cpio" if ballast_mb else "fs-initrd.cpio"
    path = os.path.join(os.path.dirname(cfg.log), name)
    extra = ["--ballast", str(ballast_mb)] if ballast_mb else []
    subprocess.run([sys.executable or "python3", hc.repo_path("tests/fs/mkcpio.py"), path] + extra,
                   check=True, timeout=120)
    return path


def initrd_fixture(cfg):
    """-kernel boots: the archive through QEMU's -initrd (multiboot v1 module)."""
    return dataclasses.replace(cfg, extra=list(cfg.extra) + ["-initrd", _initrd_cpio(cfg)])


def big_initrd_fixture(cfg):
    """A 23 MB archive: QEMU puts it right after the kernel, leaving no room
    below 24 MB for paging_init's page tables."""
    return dataclasses.replace(cfg, extra=list(cfg.extra) + ["-initrd", _initrd_cpio(cfg, 23)])


def initrd_iso(cfg):
    """A GRUB ISO loading the archive with module2 (multiboot2 tag 3)."""
    return grub_iso(cfg, "initrd-iso",
                    lambda g: g.replace("\nboot\n", "\nmodule2 /boot/initrd.cpio\nboot\n"),
                    [(_initrd_cpio(cfg), "initrd.cpio")])


def check_badram(log, text):
    """Every usable byte kept: no table-full drop, and the present RAM of the
    'Memory: A/BK' line is all of RAM minus the bad megabytes (minus the
    640 KB-1 MB hole, page 0 and QEMU's top 128 KB: a few hundred KB)."""
    entries = len(re.findall(r"BIOS-e820: \[mem", log))
    m = re.search(r"Memory: \d+K/(\d+)K available", log)
    if "table full" in log or "did not fit" in log:
        return False, "the e820 table dropped entries: " + next(
            l for l in log.splitlines() if "table full" in l or "did not fit" in l).strip()
    if entries <= 128 or not m:
        return False, "expected a map of more than 128 entries and a 'Memory:' line (%d)" % entries
    want_kb = (BADRAM_MB - BADRAM_BAD_MB) * 1024 - 1024
    if int(m.group(1)) < want_kb:
        return False, "only %sK of RAM present, expected at least %dK: usable RAM lost" % (
            m.group(1), want_kb)
    return True, "%s; %d map entries, %sK present" % (text, entries, m.group(1))


def extra_checks(job, log, out, status):
    """must_log strings, exit_fail and the job's own check, on a run that passed so far."""
    if not out.ok:
        return out
    missing = [s for s in job.must_log if s not in log]
    ok, text = (False, "the log lacks %r: %s" % (missing[0], out.text)) if missing else \
        (True, out.text)
    if ok and job.exit_fail and status != hc.EXIT_FAIL:
        ok, text = False, "the kernel exited %s, not FAIL (35): %s" % (
            hc.describe_status(status), text)
    if ok and job.check:
        ok, text = job.check(log, text)
    if ok:
        return dataclasses.replace(out, text=text)
    return dataclasses.replace(out, ok=False, failed=max(out.failed, 1), text=text)


def bad_input_jobs(a, boot, short):
    """Each a configuration the probe of issue 20 found passing wrongly or failing a
    valid setting; all short (one or a few suites)."""
    vm3 = "ktest=zones,sched,vmalloc "
    long_spec = "ktest=" + "e820," * 51 + "ktest_selftest_fail"  # the old cut: 255 chars
    return [
        Job("fail-ktest-empty", "expect-fail", True, 3, boot(cmdline="ktest=,", timeout=short),
            expect="no-tests", must_log=("ran no test",), exit_fail=True),
        Job("fail-ktest-cleared", "expect-fail", False, 3,
            boot(cmdline="ktest=all ktest=", timeout=short), expect="no-tests", exit_fail=True),
        Job("fail-long-spec", "expect-fail", True, 3, boot(cmdline=long_spec, timeout=short),
            expect="test-failed"),
        Job("bench-ktest", "ktap", False, 3, boot(cmdline="ktest=printk bench"),
            must_log=("# bench-end",)),
        Job("fail-null-quiet", "expect-fail", True, 3,
            boot(cmdline="loglevel=0 crash=null", timeout=short), expect="oops",
            must_log=("BUG: kernel NULL pointer dereference",)),
        Job("grub-badram-mem3000", "ktap", False, 6,
            boot(kernel=None, iso=a.iso, iso_kernel=a.kernel, mem=BADRAM_MB,
                 cmdline="ktest=e820,memsplit,zones"), prepare=badram_iso, check=check_badram),
        Job("mem16", "ktap", False, 4, boot(mem=16, cmdline="ktest=zones,sched,vmalloc,slab")),
        Job("fail-mem-too-small", "expect-fail", False, 3,
            boot(cmdline="ktest=all mem=8M", timeout=short), expect="panic",
            must_log=("mem=8M leaves only", "Highland needs at least 15MB")),
        Job("highmem-options", "ktap", False, 4, boot(mem=2048, cmdline=vm3 + "highmem=4K")),
        Job("highmem-zero", "ktap", False, 4, boot(mem=2048, cmdline=vm3 + "highmem=0")),
        Job("highmem-lowmem-only", "ktap", False, 4,
            boot(mem=2048, cmdline=vm3 + "mem=512M highmem=100M")),
        Job("mem4097M-mem8192", "ktap", False, 5,
            boot(mem=8192, cmdline="ktest=vmalloc,zones mem=4097M")),
        Job("vmalloc960-mem8192", "ktap", False, 5,
            boot(mem=8192, cmdline="ktest=zones vmalloc=960M"),
            must_log=("vmalloc=960M ignored: the 64MB of lowmem left could not hold mem_map",)),
        Job("options-exact", "ktap", False, 4,
            boot(mem=2048, cmdline="ktest=printk,stress\tstress_ops=300 "
                 "stress_seed=0xdeadbeef loglevel=" + "0" * 41 + "7"),
            must_log=("seed 0xdeadbeef",)),
        Job("long-cmdline", "ktap", False, 3,
            boot(mem=2048, cmdline="ktest=printk x=" + "a" * 2030 + " mem=512M"),
            must_log=("command line is 2054 bytes, at most 2047 fit: ignoring its last 8 bytes, "
                      "from 'mem=512M' on", "1151MB HIGHMEM available.")),
        Job("fail-stress-ops0", "expect-fail", False, 3,
            boot(cmdline="ktest=stress stress_ops=0", timeout=short), expect="test-failed",
            must_log=("stress_ops= must be",)),
        Job("fail-kmap-bug", "expect-fail", True, 3,
            boot(mem=2048, cmdline="ktest=kmap_atomic_bug", timeout=short), expect="panic",
            log_must=((r"BUG: kmap_atomic: nesting deeper than 16 slots on CPU 0[^\n]*\n"
                       r"(.*\n)*.*Kernel panic - not syncing: kernel BUG at mm/highmem\.c:\d+! "
                       r"kmap_atomic slots exhausted", "the kernel BUG for exhausted slots"),)),
        Job("build-refusals", "tap", True, 1,
            cmd=["bash", hc.repo_path("tests/build/run-refusals.sh")],
            needs=hc.repo_path("tests/build/run-refusals.sh")),
        # ---- initramfs (fs): tests/fs/mkcpio.py's archive as the first boot module ----
        Job("initramfs-initrd-mem512", "ktap", False, 4,
            boot(mem=512, cmdline="ktest=fs"), prepare=initrd_fixture,
            log_must=((r"ok \d+ fs_boot_initramfs\r?\n", "the module was unpacked and checked"),),
            must_log=("Freeing initrd memory:",)),
        Job("initramfs-big-mem512", "ktap", False, 4,
            boot(mem=512, cmdline="ktest=fs"), prepare=big_initrd_fixture,
            log_must=((r"ok \d+ fs_boot_initramfs\r?\n", "the 23 MB module was unpacked and checked"),
                      (r"ballast of 5888 pages checked", "its ballast read back")),
            must_log=("paging: 0-24 MB is full", "Freeing initrd memory:")),
        Job("initramfs-grub-mem8192", "ktap", False, 6,
            boot(kernel=None, iso=a.iso, iso_kernel=a.kernel, mem=8192, cmdline="ktest=fs"),
            prepare=initrd_iso,
            log_must=((r"ok \d+ fs_boot_initramfs\r?\n", "the module2 module was unpacked and checked"),),
            must_log=("Freeing initrd memory:",)),
        # ---- end initramfs ----
    ]
