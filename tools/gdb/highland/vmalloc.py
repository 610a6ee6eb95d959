"""vmalloc.py - hl-vmallocinfo: vmalloc space as /proc/vmallocinfo (the
kernel's show_vmallocinfo in mm/vmalloc_report.c).

The live areas are the nodes of the AVL tree vmap_busy (struct va_node, the
first member of each struct vmap_area), walked in order with every node
checked: readable, inside vmalloc space, in address order, not overlapping
its neighbour, and seen only once (a loop in the tree is reported, not
followed). Then the freed areas still waiting for their TLB flush
(vmap_purge_list, through each area's `purge` link), walk bounded by
vmap_lazy_pages + 1.
"""
import gdb

from .core import (HlCommand, ListWalk, command, format_caller, has_symbol, offset_of, out,
                   readable, symbol_value, uint)

PAGE_SIZE = 4096


def area_at(addr):
    vtype = gdb.lookup_type("struct vmap_area")
    return gdb.Value(addr).cast(vtype.pointer()).dereference()


class BusyTree:
    """In-order walk of vmap_busy: .areas [(address, gdb.Value)], .problems."""

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
        self.node_off = offset_of("struct vmap_area", "node")
        self.size = gdb.lookup_type("struct vmap_area").sizeof
        self.limit = max(1, (hi - lo) // PAGE_SIZE)  # at most one area per page
        self.areas, self.problems, self.seen = [], [], set()
        root = uint(symbol_value("vmap_busy"))
        self._walk(root, "vmap_busy", 0)
        prev = None
        for addr, a in self.areas:
            start, end = uint(a["node"]["start"]), uint(a["node"]["end"])
            if prev and start < prev[1]:
                self.problems.append(f"BROKEN TREE vmap_busy: area 0x{start:08x}-0x{end:08x} "
                                     f"comes after 0x{prev[0]:08x}-0x{prev[1]:08x} (out of "
                                     f"order or overlapping)")
            prev = (start, end)

    def _walk(self, node, path, depth):
        # Iterative in-order walk (the tree may be damaged: no recursion limit
        # surprises), each node checked before it is followed.
        stack, cur = [], (node, path)
        while stack or cur[0]:
            while cur[0]:
                n, where = cur
                if n in self.seen or len(self.seen) >= self.limit or len(stack) > 64:
                    why = ("seen before: a loop" if n in self.seen else
                           f"deeper than 64 levels" if len(stack) > 64 else
                           f"more than {self.limit} nodes")
                    self.problems.append(f"BROKEN TREE vmap_busy: {where} = 0x{n:08x}: {why}; "
                                         f"not followed")
                    cur = (0, "")
                    break
                area = n - self.node_off
                if not readable(area, self.size):
                    self.problems.append(f"BROKEN TREE vmap_busy: {where} = 0x{n:08x}, which "
                                         f"cannot be read; not followed")
                    cur = (0, "")
                    break
                self.seen.add(n)
                a = area_at(area)
                start, end = uint(a["node"]["start"]), uint(a["node"]["end"])
                if not (self.lo <= start < end <= self.hi):
                    self.problems.append(f"BROKEN TREE vmap_busy: {where} = 0x{n:08x} has range "
                                         f"0x{start:08x}-0x{end:08x}, outside vmalloc space "
                                         f"0x{self.lo:08x}-0x{self.hi:08x}; not followed")
                    cur = (0, "")
                    break
                stack.append((area, a, where))
                cur = (uint(a["node"]["left"]), where + "->left")
            if not stack:
                break
            area, a, where = stack.pop()
            self.areas.append((area, a))
            cur = (uint(a["node"]["right"]), where + "->right")


@command
class HlVmallocinfo(HlCommand):
    """vmalloc space, as /proc/vmallocinfo (the kernel's show_vmallocinfo);
    checks the area tree and the purge list as it walks them."""
    NAME = "hl-vmallocinfo"

    def run(self, arg):
        if not has_symbol("vmap_busy"):
            out("vmallocinfo: this kernel has no vmalloc (no symbol vmap_busy)")
            return
        lo = uint(symbol_value("vmalloc_start"))
        hi = uint(symbol_value("vmap_space.end")) if has_symbol("vmap_space") else 0xFFFFF000
        tree = BusyTree(lo, hi)
        for _, a in tree.areas:
            start, end = uint(a["node"]["start"]), uint(a["node"]["end"])
            kind = "vmalloc" if uint(a["flags"]) & 1 else "vmap"  # VM_ALLOC
            out("0x%08x-0x%08x %7d %s pages=%d %s" % (start, end, end - start,
                                                      format_caller(uint(a["caller"])),
                                                      uint(a["nr_pages"]), kind))
        problems = list(tree.problems)
        purge_off = offset_of("struct vmap_area", "purge")
        lazy = uint(symbol_value("vmap_lazy_pages")) if has_symbol("vmap_lazy_pages") else \
            (hi - lo) // PAGE_SIZE
        size = gdb.lookup_type("struct vmap_area").sizeof

        def check(node):
            return None if readable(node - purge_off, size) else "which cannot be read"

        def describe(node):
            if not readable(node - purge_off, size):
                return "unreadable"
            a = area_at(node - purge_off)
            start = uint(a["node"]["start"])
            return f"area 0x{start:08x}" if lo <= start < hi else "not a vmap_area"

        w = ListWalk(uint(symbol_value("&vmap_purge_list")), "vmap_purge_list", lazy + 1,
                     describe=describe, check_node=check)
        for node in w.nodes:
            a = area_at(node - purge_off)
            start, end = uint(a["node"]["start"]), uint(a["node"]["end"])
            out("0x%08x-0x%08x %7d unpurged vm_area" % (start, end, end - start))
        if w.problem:
            problems.append("BROKEN LIST " + w.problem)
        for p in problems:
            out(f"{self.NAME}: {p}")
