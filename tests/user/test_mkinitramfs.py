#!/usr/bin/env python3
"""test_mkinitramfs.py - tools/mkinitramfs writes what Highland's unpacker reads,
and tools/qemu-run hands the archive to the kernel (--initrd).

Checks one entry byte for byte against the newc layout, reads whole archives
back (names, modes, sizes, data, inode order, mtime 0, alignment, trailer),
that two builds are identical, and that each kind of bad input is refused
with a message and leaves no output file. For qemu-run: -initrd on --kernel
boots, a module2 line and the file in the temporary ISO on --iso boots, a
missing archive refused before QEMU starts. --tap prints TAP (test-matrix job
"mkinitramfs"); otherwise unittest's own output.
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "..", "tools", "mkinitramfs")
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import hl_common  # noqa: E402

mk = hl_common.load_tool("mkinitramfs")
qr = hl_common.load_tool("qemu-run")


class MkInitramfs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        self.prog = self.file("prog", b"\x7fELF" + bytes(range(256)) * 3, 0o755)
        self.data = self.file("data", b"abc", 0o644)

    def tearDown(self):
        self.tmp.cleanup()

    def file(self, name, data, mode):
        path = os.path.join(self.d, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    def run_tool(self, *args):
        return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True)

    def test_one_entry_byte_for_byte(self):
        got = mk.entry(1, "a", stat.S_IFREG | 0o644, b"xy")
        want = (b"070701" + b"00000001" + b"000081A4" + b"00000000" * 2 + b"00000001" +
                b"00000000" + b"00000002" + b"00000000" * 4 + b"00000002" + b"00000000" +
                b"a\0" + b"xy\0\0")
        self.assertEqual(got, want)
        # name padding: header (110) + "ab\0" (3) = 113 -> 3 NULs to 116
        e = mk.entry(2, "ab", stat.S_IFDIR | 0o755)
        self.assertEqual(len(e), 116)
        self.assertEqual(e[110:116], b"ab\0\0\0\0")

    def test_archive_reads_back(self):
        out = os.path.join(self.d, "a.cpio")
        r = self.run_tool("-o", out, "--init", self.prog, "--file", "/bin/data=" + self.data,
                          "--dir", "/etc")
        self.assertEqual(r.returncode, 0, r.stderr)
        blob = open(out, "rb").read()
        self.assertEqual(len(blob) % 4, 0)
        self.assertTrue(blob.endswith(b"\0") and b"TRAILER!!!\0" in blob)
        ents = {h["name"]: h for h in mk.parse(blob)}
        for d in ("bin", "dev", "proc", "sys", "tests", "etc"):
            self.assertTrue(stat.S_ISDIR(ents[d]["mode"]), d)
        con = ents["dev/console"]
        self.assertTrue(stat.S_ISCHR(con["mode"]))
        self.assertEqual((con["rdevmajor"], con["rdevminor"]), (5, 1))
        self.assertEqual(ents["init"]["data"], open(self.prog, "rb").read())
        self.assertEqual(stat.S_IMODE(ents["init"]["mode"]), 0o755)
        self.assertEqual(ents["bin/data"]["data"], b"abc")
        self.assertEqual(stat.S_IMODE(ents["bin/data"]["mode"]), 0o644)
        hs = mk.parse(blob)
        self.assertEqual([h["ino"] for h in hs], list(range(1, len(hs) + 1)))
        self.assertTrue(all(h["mtime"] == 0 and h["uid"] == 0 for h in hs))
        names = [h["name"] for h in hs]
        self.assertLess(names.index("bin"), names.index("bin/data"))
        self.assertEqual(names[-1], "init")

    def test_reproducible(self):
        a, b = os.path.join(self.d, "a.cpio"), os.path.join(self.d, "b.cpio")
        for out in (a, b):
            self.assertEqual(self.run_tool("-o", out, "--init", self.prog).returncode, 0)
            os.utime(self.prog, (1, 1))   # a different mtime must not matter
        self.assertEqual(open(a, "rb").read(), open(b, "rb").read())

    def refused(self, args, words):
        out = os.path.join(self.d, "bad.cpio")
        r = self.run_tool("-o", out, *args)
        self.assertEqual(r.returncode, 1)
        for w in words:
            self.assertIn(w, r.stderr)
        self.assertFalse(os.path.exists(out) or os.path.exists(out + ".tmp"))

    def test_missing_file_refused(self):
        self.refused(["--init", os.path.join(self.d, "nope")], ["/init", "nope"])

    def test_missing_directory_refused(self):
        self.refused(["--file", "/etc/x=" + self.data], ["/etc/x", "/etc", "--dir"])

    def test_duplicate_refused(self):
        self.refused(["--file", "/bin/x=" + self.data, "--file", "/bin/x=" + self.data],
                     ["/bin/x", "twice"])

    def test_bad_paths_refused(self):
        for bad in ("bin/x", "/bin/../x", "/bin/", "/"):
            self.refused(["--file", bad + "=" + self.data], ["bad archive path"])
        self.refused(["--file", "/bin/x"], ["DEST=SRC"])

    def test_list_and_bad_archive(self):
        out = os.path.join(self.d, "a.cpio")
        self.run_tool("-o", out, "--init", self.prog)
        r = self.run_tool("--list", out)
        self.assertEqual(r.returncode, 0)
        self.assertIn("/dev/console (5, 1)", r.stdout)
        junk = self.file("junk", b"not an archive", 0o644)
        r = self.run_tool("--list", junk)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a newc archive", r.stderr)


class QemuRunInitrd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.kernel = os.path.join(self.tmp.name, "kernel.elf")
        self.initrd = os.path.join(self.tmp.name, "i.cpio")
        for path in (self.kernel, self.initrd):
            with open(path, "wb") as f:
                f.write(b"x")

    def tearDown(self):
        self.tmp.cleanup()

    def test_kernel_boot_gets_initrd(self):
        cmd = qr.build_command(qr.Config(kernel=self.kernel, initrd=self.initrd))
        self.assertEqual(cmd[cmd.index("-initrd") + 1], self.initrd)
        self.assertNotIn("-initrd", qr.build_command(qr.Config(kernel=self.kernel)))

    def test_missing_initrd_refused(self):
        for cfg in (qr.Config(kernel=self.kernel, initrd=self.initrd + ".no"),
                    qr.Config(iso="x.iso", iso_kernel=self.kernel, initrd=self.initrd + ".no")):
            with self.assertRaises(qr.RunnerError) as e:
                qr.build_command(cfg)
            self.assertIn("initramfs not found", str(e.exception))

    def test_grub_cfg_module2(self):
        with_mod = qr.grub_cfg("ktest=all", True).splitlines()
        self.assertEqual(with_mod[with_mod.index("multiboot2 /boot/kernel.elf ktest=all") + 1],
                         "module2 /boot/initramfs.cpio")
        self.assertNotIn("module2", qr.grub_cfg("ktest=all"))
        with open(os.path.join(HERE, "..", "..", "tools", "grub.cfg")) as f:
            self.assertIn("module2 /boot/initramfs.cpio", f.read())

    def test_iso_boot_builds_iso_with_initrd(self):
        if not shutil.which("grub-mkrescue"):
            self.skipTest("no grub-mkrescue")
        cmd = qr.build_command(qr.Config(iso="unused.iso", iso_kernel=self.kernel,
                                         initrd=self.initrd))
        iso = cmd[cmd.index("-cdrom") + 1]
        self.assertNotEqual(iso, "unused.iso")
        isodir = os.path.join(os.path.dirname(iso), "isodir", "boot")
        self.assertEqual(open(os.path.join(isodir, "initramfs.cpio"), "rb").read(), b"x")
        self.assertIn("module2", open(os.path.join(isodir, "grub", "grub.cfg")).read())


def tap():
    tests = []
    for case in (MkInitramfs, QemuRunInitrd):
        tests += list(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    print("1..%d" % len(tests))
    bad = 0
    for i, t in enumerate(tests, 1):
        res = unittest.TestResult()
        t.run(res)
        problems = res.failures + res.errors
        for _, tb in problems:
            for line in tb.strip().splitlines()[-3:]:
                print("# " + line)
        skip = " # SKIP %s" % res.skipped[0][1] if res.skipped and not problems else ""
        print("%s %d %s%s" % ("not ok" if problems else "ok", i, t._testMethodName, skip))
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    if "--tap" in sys.argv:
        sys.exit(tap())
    unittest.main()
