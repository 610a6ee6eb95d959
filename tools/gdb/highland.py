"""Highland's gdb helpers, in the style of Linux's scripts/gdb (lx-*).

Loaded by `make gdb` (tools/gdb/run-gdb.sh) or by hand:
    (gdb) source tools/gdb/highland.py
Every command reads kernel memory through gdb only; the kernel does not
help, so they work on a kernel that is stopped, hung or has panicked.

    hl-dmesg          the printk ring buffer (log_buf), oldest line first
    hl-e820 [raw]     the memory map the boot loader gave (boot_info.map)
    hl-cmdline        the kernel command line
    hl-help           this list
"""
import gdb

E820_NAMES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}


def read_bytes(addr, length):
    return bytes(gdb.selected_inferior().read_memory(addr, length))


def symbol_value(name):
    try:
        return gdb.parse_and_eval(name)
    except gdb.error as e:
        raise gdb.GdbError(f"cannot read {name}: {e} (is build/kernel.elf loaded?)")


class HlDmesg(gdb.Command):
    """Print the kernel log (the printk ring buffer), oldest line first."""

    def __init__(self):
        super().__init__("hl-dmesg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        head = int(symbol_value("log_head"))
        size = int(symbol_value("log_buf_len"))
        base = int(symbol_value("&log_buf[0]"))
        if size & (size - 1):
            raise gdb.GdbError(f"log_buf_len {size} is not a power of two: corrupt?")
        avail = min(head, size)
        start = (head - avail) % size
        first = min(avail, size - start)
        data = read_bytes(base + start, first) + read_bytes(base, avail - first)
        if head > size:
            gdb.write(f"[hl-dmesg: ring wrapped, oldest {head - size} bytes lost]\n")
        gdb.write(data.decode("ascii", "replace"))


class HlE820(gdb.Command):
    """Print the memory map as the boot loader gave it (boot_info.map)."""

    def __init__(self):
        super().__init__("hl-e820", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        table = symbol_value("boot_info.map")
        nr = int(table["nr"])
        cap = int(table["map"].type.range()[1]) + 1
        if nr > cap:
            raise gdb.GdbError(f"boot_info.map.nr = {nr} > capacity {cap}: corrupt table")
        total = 0
        for i in range(nr):
            e = table["map"][i]
            addr, size, typ = int(e["addr"]), int(e["size"]), int(e["type"])
            name = E820_NAMES.get(typ, f"type {typ}")
            gdb.write(f"BIOS-e820: [mem 0x{addr:016x}-0x{addr + size - 1:016x}] {name}\n")
            if typ == 1:
                total += size
        gdb.write(f"{nr} entries, {total >> 20} MB usable\n")


class HlCmdline(gdb.Command):
    """Print the kernel command line as the boot loader passed it."""

    def __init__(self):
        super().__init__("hl-cmdline", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write(symbol_value("boot_info.cmdline").string() + "\n")


class HlHelp(gdb.Command):
    """List Highland's gdb commands."""

    def __init__(self):
        super().__init__("hl-help", gdb.COMMAND_SUPPORT)

    def invoke(self, arg, from_tty):
        gdb.write(__doc__)


for cls in (HlDmesg, HlE820, HlCmdline, HlHelp):
    cls()
gdb.write("Highland gdb helpers loaded: hl-help lists them.\n")
