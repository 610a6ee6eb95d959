"""testcmds.py - gdb commands for the helpers' test sessions
(tests/gdb/helpers.gdb, tests/gdb/panic.gdb): they frame what the hl-*
commands print for tests/gdb/check_helpers.py, and ask QEMU itself (its page
walk, its physical memory) for the answers to check hl-pagewalk against.
"""
import gdb


class HlTestRun(gdb.Command):
    """hl-test-run TAG COMMAND...: run COMMAND, framing its output (or error)."""
    def __init__(self):
        super().__init__("hl-test-run", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tag, _, cmd = arg.partition(" ")
        gdb.write(f"@@@ BEGIN {tag} | {cmd}\n")
        try:
            gdb.write(gdb.execute(cmd, to_string=True))
        except gdb.error as e:
            gdb.write(f"@@@ ERROR {tag} | {e}\n")
        gdb.write(f"@@@ END {tag}\n")


class HlTestValue(gdb.Command):
    """hl-test-value TAG EXPR: print EXPR's integer value for the checker."""
    def __init__(self):
        super().__init__("hl-test-value", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tag, _, expr = arg.partition(" ")
        try:
            gdb.write(f"@@@ VALUE {tag} {int(gdb.parse_and_eval(expr)) & 0xffffffff:#x}\n")
        except gdb.error as e:
            gdb.write(f"@@@ VALUE {tag} error: {e}\n")


class HlTestPhys(gdb.Command):
    """hl-test-phys TAG VA PHYS: are the 64 bytes at VA (through the MMU, as
    QEMU walks the page tables) the 64 bytes at physical PHYS?"""
    def __init__(self):
        super().__init__("hl-test-phys", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tag, va, phys = arg.split()
        inf = gdb.selected_inferior()
        try:
            # Both addresses first: in physical mode gdb would read the
            # variables in them at the wrong addresses.
            va, phys = (int(gdb.parse_and_eval(x)) & 0xffffffff for x in (va, phys))
            virt = bytes(inf.read_memory(va, 64))
            gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
            try:
                real = bytes(inf.read_memory(phys, 64))
            finally:
                gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)
            verdict = "same" if virt == real else "differ"
            gdb.write(f"@@@ PHYS {tag} {verdict} {virt[:16].hex()} {real[:16].hex()}\n")
        except gdb.error as e:
            gdb.write(f"@@@ PHYS {tag} error: {e}\n")


class HlTestGpa(gdb.Command):
    """hl-test-gpa TAG VA: QEMU's own page walk of VA (monitor gva2gpa)."""
    def __init__(self):
        super().__init__("hl-test-gpa", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tag, _, va = arg.partition(" ")
        try:
            va = int(gdb.parse_and_eval(va)) & 0xffffffff
            text = gdb.execute(f"monitor gva2gpa {va:#x}", to_string=True).strip()
            gdb.write(f"@@@ GPA {tag} {text}\n")
        except gdb.error as e:
            gdb.write(f"@@@ GPA {tag} error: {e}\n")

HlTestRun()
HlTestValue()
HlTestPhys()
HlTestGpa()


def hl_test_guarded(sym, steps):
    """Run the gdb commands `steps` if the kernel has symbol sym, else say
    "@@@ SKIP sym" (a missing symbol in a plain gdb line would end the
    script)."""
    try:
        gdb.parse_and_eval("&" + sym)
    except gdb.error:
        gdb.write(f"@@@ SKIP {sym}\n")
        return
    for step in steps:
        gdb.execute(step)
