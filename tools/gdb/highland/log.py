"""log.py - what the kernel printed and what it was given: hl-dmesg,
hl-e820, hl-cmdline."""
import gdb

from .core import HlCommand, command, out, read_bytes, symbol_value

E820_NAMES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}


@command
class HlDmesg(HlCommand):
    """the printk ring buffer (log_buf), oldest line first."""
    NAME = "hl-dmesg"

    def run(self, arg):
        head = int(symbol_value("log_head")) & 0xFFFFFFFF
        size = int(symbol_value("log_buf_len"))
        base = int(symbol_value("&log_buf[0]")) & 0xFFFFFFFF
        if size <= 0 or size & (size - 1):
            raise gdb.GdbError(f"log_buf_len {size} is not a power of two: corrupt?")
        avail = min(head, size)
        start = (head - avail) % size
        first = min(avail, size - start)
        data = read_bytes(base + start, first) + read_bytes(base, avail - first)
        if head > size:
            out(f"[hl-dmesg: ring wrapped, oldest {head - size} bytes lost]")
        gdb.write(data.decode("ascii", "replace"))


@command
class HlE820(HlCommand):
    """the kernel's memory map (boot_info.map: the boot loader's, sanitized
    and updated as the kernel logged it)."""
    NAME = "hl-e820"

    def run(self, arg):
        table = symbol_value("boot_info.map")
        nr = int(table["nr"])
        cap = int(table["map"].type.range()[1]) + 1
        if nr < 0 or nr > cap:
            raise gdb.GdbError(f"boot_info.map.nr = {nr} > capacity {cap}: corrupt table")
        total = 0
        for i in range(nr):
            e = table["map"][i]
            addr, size, typ = int(e["addr"]), int(e["size"]), int(e["type"])
            name = E820_NAMES.get(typ, f"type {typ}")
            out(f"BIOS-e820: [mem 0x{addr:016x}-0x{addr + size - 1:016x}] {name}")
            if typ == 1:
                total += size
        out(f"{nr} entries, {total >> 20} MB usable")


@command
class HlCmdline(HlCommand):
    """the kernel command line as the boot loader passed it."""
    NAME = "hl-cmdline"

    def run(self, arg):
        out(symbol_value("boot_info.cmdline").string())
