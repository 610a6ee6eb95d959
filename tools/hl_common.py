"""hl_common.py - facts shared by Highland's host-side test tools.

The exit statuses of qemu-system-i386 under the kernel contract live here and
nowhere else, together with the fixed QEMU arguments, the defaults of
tools/qemu-run and a loader for the hyphenated tool scripts, so that
tools/test-matrix and tests/harness/test_ktap_check.py can import
tools/qemu-run and tools/ktap-check as modules:

    sys.path.insert(0, TOOLS_DIR); import hl_common
    qemu_run = hl_common.load_tool("qemu-run")
    ktap_check = hl_common.load_tool("ktap-check")

SerialSession is the one way the host scripts talk to a booted kernel over
-serial stdio as a user types (the monitor test, tools/memview).
"""
import importlib.machinery
import importlib.util
import os
import re
import select
import subprocess
import sys
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TOOLS_DIR)

# --- Exit statuses (isa-debug-exit turns a write of v into exit (v << 1) | 1) ---
DEBUG_EXIT_PORT = 0xF4
DEBUG_EXIT_PASS_VALUE = 0x10  # kernel: complete run, every test passed
DEBUG_EXIT_FAIL_VALUE = 0x11  # kernel: test failed, panic, no PAE, bad boot magic
EXIT_PASS = (DEBUG_EXIT_PASS_VALUE << 1) | 1  # 33
EXIT_FAIL = (DEBUG_EXIT_FAIL_VALUE << 1) | 1  # 35
EXIT_RESET = 0          # reset / triple fault under -no-reboot: never a pass
EXIT_QEMU_ERROR = 1     # QEMU's own error (bad option, missing file): never a pass
EXIT_RUNNER_ERROR = 2   # qemu-run could not start QEMU (e.g. grub-mkrescue failed)
EXIT_TIMEOUT = 124      # qemu-run killed QEMU at --timeout: the kernel hung
# Interactive runs only (tools/qemu-run --interactive): QEMU may reboot there
# (no -no-reboot), so qemu-run watches QEMU's reset log and stops it at a
# triple fault itself, returning this; the CLI returns 0 for the endings a
# user chose or that passed (quit, power-off, tests passed).
EXIT_TRIPLE_FAULT = 3

STATUS_MEANING = {
    EXIT_PASS: "PASS",
    EXIT_FAIL: "FAIL",
    EXIT_RESET: "reset/triple fault",
    EXIT_QEMU_ERROR: "QEMU error",
    EXIT_RUNNER_ERROR: "runner error",
    EXIT_TIMEOUT: "timeout",
    EXIT_TRIPLE_FAULT: "triple fault",
}


def describe_status(status):
    """'33 (PASS)', '0 (reset/triple fault)', '7 (unexpected)'."""
    if status is None:
        return "none"
    return "%d (%s)" % (status, STATUS_MEANING.get(status, "unexpected"))


# --- QEMU ---
QEMU_BINARY = "qemu-system-i386"
FIXED_QEMU_ARGS = [
    "-display", "none", "-no-reboot", "-accel", "tcg",
    "-device", "isa-debug-exit,iobase=0x%x,iosize=0x04" % DEBUG_EXIT_PORT,
]
DEFAULT_MEM = 2048
DEFAULT_SMP = 1
DEFAULT_CPU = "max"
DEFAULT_MACHINE = "pc"
DEFAULT_TIMEOUT = 120      # qemu-run
MATRIX_TIMEOUT = 300       # test-matrix boots
DEFAULT_KERNEL = os.path.join("build", "kernel.elf")
DEFAULT_ISO = os.path.join("build", "highland.iso")

# --- Serial log text ---
PAE_MESSAGE = "Highland needs a CPU with PAE"
_ANSI_RE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78cDEHM])")
_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\]\s?")


def clean_line(line):
    """Drop ANSI escapes (GRUB writes them), CR and other control characters."""
    line = _ANSI_RE.sub("", line)
    return _CTRL_RE.sub("", line.replace("\t", "    "))


def clean_lines(text):
    """The log as a list of cleaned lines."""
    return [clean_line(l) for l in text.splitlines()]


def last_line(text, width=120):
    """The last non-empty line of a serial log, for 'hung at ...' messages."""
    for line in reversed(clean_lines(text)):
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[: width - 3] + "..."
    return "<no output>"


def load_tool(name):
    """Import tools/<name> (e.g. 'qemu-run') as module 'qemu_run'; cached."""
    modname = name.replace("-", "_")
    if modname in sys.modules:
        return sys.modules[modname]
    path = os.path.join(TOOLS_DIR, name)
    loader = importlib.machinery.SourceFileLoader(modname, path)
    spec = importlib.util.spec_from_loader(modname, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    loader.exec_module(module)
    return module


def repo_path(path):
    """A default path relative to the repository root, made absolute."""
    return path if os.path.isabs(path) else os.path.join(REPO_ROOT, path)


class SerialSession:
    """QEMU with the serial port on stdio, driven like a terminal: wait for a
    marker in the output, type keys one byte at a time (the UART's receive
    FIFO is small). A timeout, or QEMU ending first, raises `error`."""

    def __init__(self, qemu_args, prompt, error=TimeoutError):
        self.prompt, self.error = prompt, error
        cmd = [QEMU_BINARY, "-display", "none", "-no-reboot", "-accel", "tcg",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", "stdio"]
        self.p = subprocess.Popen(cmd + list(qemu_args), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""

    def read_some(self, timeout):
        """Append what QEMU printed within timeout seconds to buf."""
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if r:
            self.buf += os.read(self.p.stdout.fileno(), 1 << 16)

    def until(self, marker, timeout=30):
        """The output before marker (text, no CRs); buf keeps what follows it."""
        end = time.time() + timeout
        while marker not in self.buf:
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise self.error("no %r after %ds; the last output: %r" % (
                    marker, timeout, self.buf[-400:]))
            self.read_some(left)
        out, self.buf = self.buf.split(marker, 1)
        return out.decode("ascii", "replace").replace("\r", "")

    def type(self, keys):
        """Type keys (bytes), one byte at a time."""
        for b in keys:
            self.p.stdin.write(bytes([b]))
            self.p.stdin.flush()
            time.sleep(0.002)

    def send(self, keys, timeout=30):
        """Type keys (bytes, ending in CR); the output up to the next prompt."""
        self.type(keys)
        return self.until(self.prompt, timeout)

    def close(self):
        try:
            self.p.kill()
        except OSError:
            pass
        self.p.wait()
