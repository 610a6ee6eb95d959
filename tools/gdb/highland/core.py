"""core.py - what every Highland gdb helper shares: reading memory, the
kernel's types and constants, symbol names, the command registry, and the
checked list walker.

Everything is read through gdb from the stopped target; no kernel function is
called. Struct layouts come from the DWARF in build/kernel.elf
(gdb.lookup_type, field offsets), so they may change without touching the
helpers. The few numbers DWARF does not carry (#define constants, unless the
kernel was built with -g3) are taken from gdb's macro table when it has them
and otherwise from the values in include/layout.h, named in CONSTANTS below.
"""
import bisect
import struct

import gdb

COMMANDS = []  # (name, class), in registration order: hl-help lists them


def command(cls):
    """Class decorator: register a gdb.Command subclass (its NAME, USAGE and
    the first line of its docstring appear in hl-help)."""
    COMMANDS.append((cls.NAME, cls))
    return cls


def live_target():
    """True if gdb is attached to a running (stopped) target. Without one
    gdb would read the ELF file instead: the values at link time, not the
    kernel's state (zero tasks, empty lists), which looks like an answer."""
    try:
        return gdb.selected_inferior().pid != 0 and gdb.selected_thread() is not None
    except gdb.error:
        return False


NO_TARGET = ("no live target: gdb is not attached to a running QEMU (it exited, was killed, "
             "or `kill`/`detach` ended the session), and reading build/kernel.elf instead "
             "would show link-time values, not the kernel. Start one with `make gdb`, or "
             "attach to a waiting QEMU with `target remote :PORT`.")


class HlCommand(gdb.Command):
    """Base: a command named NAME; subclasses implement run(arg). Every
    command needs a live target unless NEEDS_TARGET is False."""
    NAME = None
    USAGE = ""
    NEEDS_TARGET = True

    def __init__(self):
        doc = " ".join((type(self).__doc__ or "").split())
        self.__doc__ = doc[:1].upper() + doc[1:] + f"\nUsage: {self.NAME} {self.USAGE}".rstrip()
        super().__init__(self.NAME, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if self.NEEDS_TARGET and not live_target():
            raise gdb.GdbError(f"{self.NAME}: {NO_TARGET}")
        try:
            self.run(arg.strip())
        except gdb.MemoryError as e:
            raise gdb.GdbError(f"{self.NAME}: cannot read kernel memory: {e}")

    def run(self, arg):
        raise NotImplementedError


def out(text=""):
    gdb.write(text + "\n")


# ---------------------------------------------------------------- symbols, types

_types = {}


def lookup_type(name):
    t = _types.get(name)
    if t is None:
        try:
            t = gdb.lookup_type(name)
        except gdb.error as e:
            raise gdb.GdbError(f"no type {name} in the symbols: {e} (is build/kernel.elf loaded?)")
        _types[name] = t
    return t


def clear_caches():
    """Forget cached types and symbols (after `file` loads a new kernel)."""
    _types.clear()
    _ksyms.clear()


def offset_of(type_name, field):
    """Byte offset of field in struct type_name (from DWARF)."""
    for f in lookup_type(type_name).fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError(f"{type_name} has no field {field}: the helpers need updating")


def array_len(value):
    """Number of elements of an array-typed gdb.Value, or None if its type is
    incomplete: gdb may find `extern T name[];` in a header before the
    definition (lookup order depends on which CUs it has expanded)."""
    t = value.type.strip_typedefs()
    if t.sizeof == 0:
        return None
    lo, hi = t.range()
    return hi - lo + 1


def symbol_value(name):
    try:
        return gdb.parse_and_eval(name)
    except gdb.error as e:
        raise gdb.GdbError(f"cannot read {name}: {e} (is build/kernel.elf loaded?)")


def has_symbol(name):
    """True if the kernel has a global or static variable/function `name`."""
    try:
        if gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name):
            return True
    except gdb.error:
        pass
    try:
        gdb.parse_and_eval("&" + name)  # minimal (ELF-only) symbols too
        return True
    except gdb.error:
        return False


def address_of(name):
    return int(symbol_value("&" + name)) & 0xFFFFFFFF


def uint(value):
    """A gdb.Value (integer or pointer) as a Python int, unsigned 32 bits."""
    return int(value) & 0xFFFFFFFF


# Values from include/layout.h, used when gdb has no macro information (the
# kernel is built with -g, not -g3). Keep them in step with that file.
CONSTANTS = {
    "PAGE_SHIFT": 12,
    "PAGE_OFFSET": 0xC0000000,
    "FIXADDR_TOP": 0xFFFFF000,
    "LAST_PKMAP": 512,
    "ZONES_SHIFT": 30,
    "ZONES_MASK": 3,
    "PMD_SIZE": 1 << 21,
    "LIST_POISON1": 0x00100100,  # include/list.h: list_del() leaves these
    "LIST_POISON2": 0x00200200,
}


def const(name):
    """A #define of the kernel: from gdb's macro table if the kernel was built
    with -g3, else the value in CONSTANTS."""
    try:
        return int(gdb.parse_and_eval(name)) & 0xFFFFFFFF
    except (gdb.error, RuntimeError):
        return CONSTANTS[name]


def poison_name(addr):
    """'LIST_POISON1 (unlinked by list_del)' for list_del's poison values."""
    for name in ("LIST_POISON1", "LIST_POISON2"):
        if addr == CONSTANTS[name]:
            return f"{name}: unlinked by list_del"
    return None


PAGE_SIZE = 4096


# ---------------------------------------------------------------- memory

def read_bytes(addr, length):
    return bytes(gdb.selected_inferior().read_memory(addr, length))


def read_u32(addr):
    return struct.unpack("<I", read_bytes(addr, 4))[0]


def read_u64(addr):
    return struct.unpack("<Q", read_bytes(addr, 8))[0]


def readable(addr, length=4):
    try:
        read_bytes(addr, length)
        return True
    except gdb.MemoryError:
        return False


# ---------------------------------------------------------------- code addresses

_ksyms = {}


def _kernel_ksyms():
    """The kernel's embedded symbol table (kernel/ksyms.c, built by
    tools/gen-ksyms.py) read from memory once: [(addr, name)] sorted, and
    ksym_text_end. Empty if the kernel has none."""
    try:
        count = int(gdb.parse_and_eval("ksym_count"))
        table = address_of("ksym_table")
        names = address_of("ksym_names")
        text_end = int(gdb.parse_and_eval("ksym_text_end")) & 0xFFFFFFFF
    except gdb.GdbError:
        return [], 0
    except gdb.error:
        return [], 0
    key = (table, count)
    if key not in _ksyms:
        syms = []
        if 0 < count < 1000000:
            raw = read_bytes(table, count * 8)
            offs = [struct.unpack_from("<II", raw, i * 8) for i in range(count)]
            last = max(o for _, o in offs)
            blob = read_bytes(names, last + 256)
            for a, o in offs:
                syms.append((a, blob[o:blob.index(b"\0", o)].decode("ascii", "replace")))
        _ksyms.clear()
        _ksyms[key] = (syms, text_end)
    return _ksyms[key]


def format_caller(addr):
    """A code address as the kernel's %pS prints it: name+0xoff/0xsize from
    the kernel's own symbol table (so the text is the kernel's), else from
    gdb's symbols; 0x%08x if neither knows it."""
    addr &= 0xFFFFFFFF
    if addr == 0:
        return "(none)"
    syms, text_end = _kernel_ksyms()
    if syms:
        if syms[0][0] <= addr < text_end:
            i = bisect.bisect_right([a for a, _ in syms], addr) - 1
            end = syms[i + 1][0] if i + 1 < len(syms) else text_end
            return f"{syms[i][1]}+0x{addr - syms[i][0]:x}/0x{end - syms[i][0]:x}"
        return f"0x{addr:08x}"
    return gdb_caller(addr)


def gdb_caller(addr):
    """name+0xoff/0xsize from gdb's own symbols (DWARF extents)."""
    try:
        block = gdb.block_for_pc(addr)
    except (RuntimeError, gdb.error):
        block = None
    # Climb out of lexical and inlined blocks to the function's outermost
    # block (the one whose superblock is the file's static block): the ELF
    # symbol the kernel's ksyms would name.
    while (block is not None and not block.is_static and not block.is_global and
           block.superblock is not None and not block.superblock.is_static):
        block = block.superblock
    if (block is not None and not block.is_static and not block.is_global and
            block.function is not None):
        start = block.start
        return f"{block.function.name}+0x{addr - start:x}/0x{block.end - start:x}"
    try:
        s = gdb.execute(f"info symbol 0x{addr:x}", to_string=True).strip()
    except gdb.error:
        s = ""
    if s and not s.startswith("No symbol"):
        name, _, rest = s.partition(" in section")
        name = name.replace(" + ", "+")
        if "+" in name:
            n, off = name.split("+", 1)
            return f"{n}+0x{int(off):x}"
        return name + "+0x0"
    return f"0x{addr:08x}"


# ---------------------------------------------------------------- lists

class ListNode:
    """One list_head read from memory."""
    __slots__ = ("addr", "next", "prev")

    def __init__(self, addr):
        lh = lookup_type("struct list_head")
        raw = read_bytes(addr, lh.sizeof)
        self.addr = addr
        self.next = struct.unpack_from("<I", raw, offset_of("struct list_head", "next"))[0]
        self.prev = struct.unpack_from("<I", raw, offset_of("struct list_head", "prev"))[0]


class ListWalk:
    """Walk a circular list_head list from its head, checking every link.

    For each node reached through prev->next: node->prev must be prev (so
    prev->next == node and node->prev == prev hold for every link, and the
    node's own next is checked when the walk follows it); the head's prev must
    be the last node. The walk is bounded by `limit` nodes (the count the
    kernel claims + 1) and remembers the nodes it saw, so a loop or a wrong
    count stops it with a message instead of running forever.

    name:     how the list is called in messages ("zone Normal free_area[10]")
    describe: addr -> text naming a node ("pfn 0x1234"), for messages
    check_node: addr -> None or why addr cannot be a node of this list

    After walking: .nodes (addresses, in order) and .problem (None, or one
    line saying where the list is broken).
    """

    def __init__(self, head, name, limit, describe=None, check_node=None):
        self.head = head
        self.name = name
        self.limit = limit
        self.describe = describe or (lambda a: "")
        self.check_node = check_node
        self.nodes = []
        self.problem = None
        self._walk()

    def _what(self, addr):
        if addr == self.head:
            return "the list head"
        d = self.describe(addr)
        return d if d else "?"

    def _at(self, addr):
        return f"0x{addr:08x} ({self._what(addr)})"

    def _fail(self, msg):
        self.problem = f"{self.name}: {msg}"

    def _walk(self):
        try:
            head = ListNode(self.head)
        except gdb.MemoryError:
            self._fail(f"the list head at 0x{self.head:08x} cannot be read")
            return
        seen = {}
        prev, pos = self.head, head.next
        while pos != self.head:
            n = len(self.nodes) + 1  # this node's position, 1-based
            if n > self.limit:
                self._fail(f"more than {self.limit} entries (the kernel's count + 1): walk "
                           f"stopped at entry {n}, node {self._at(pos)}, reached from "
                           f"{self._at(prev)} - a loop, or the count is wrong")
                return
            if pos in seen:
                self._fail(f"loop: entry {n}, node {self._at(pos)} reached from {self._at(prev)}, "
                           f"is entry {seen[pos]} again")
                return
            if self.check_node:
                why = self.check_node(pos)
                if why:
                    self._fail(f"entry {n}: the next link of {self._at(prev)} is 0x{pos:08x}, "
                               f"{why}")
                    return
            try:
                node = ListNode(pos)
            except gdb.MemoryError:
                self._fail(f"entry {n}: the next link of {self._at(prev)} is 0x{pos:08x}, "
                           f"which cannot be read")
                return
            if node.prev != prev:
                self._fail(f"entry {n}: node {self._at(pos)} has prev 0x{node.prev:08x} "
                           f"({self._what(node.prev)}), expected {self._at(prev)} whose next "
                           f"points to it: broken back link")
                return
            seen[pos] = n
            self.nodes.append(pos)
            prev, pos = pos, node.next
        if head.prev != prev:
            self._fail(f"the head's prev is 0x{head.prev:08x} ({self._what(head.prev)}), "
                       f"expected the last node {self._at(prev)}: broken back link")

    @property
    def ok(self):
        return self.problem is None
