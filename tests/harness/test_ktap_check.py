#!/usr/bin/env python3
"""Hosted unit tests of tools/ktap-check against the sample logs in tests/harness/.

Each sample log stands for one way a boot can end; each test asserts the
checker's verdict (PASS/FAIL), the failure kind and the words of the reason.

    python3 tests/harness/test_ktap_check.py          # unittest, verbose with -v
    python3 tests/harness/test_ktap_check.py --tap    # TAP, as tools/test-matrix runs it
"""
import os
import subprocess
import sys
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools")
sys.path.insert(0, TOOLS)
import hl_common as hc  # noqa: E402

kc = hc.load_tool("ktap-check")


def sample(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def check(name, status, timed_out=False, **kw):
    return kc.check(sample(name), status, timed_out, **kw)


class Passing(unittest.TestCase):
    def test_clean_pass(self):
        r = check("pass.log", hc.EXIT_PASS)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual((r.passed, r.failed, r.skipped), (10, 0, 1))
        self.assertEqual(r.reason, "10 passed, 0 failed, 1 skipped (exit 33)")

    def test_cases_are_listed_with_their_suite(self):
        cases = check("pass.log", hc.EXIT_PASS).cases
        self.assertEqual(len(cases), 11)
        self.assertIn(("printk", "test_format_hex", "pass"), cases)
        self.assertIn(("buddy", "test_highmem", "skip"), cases)
        self.assertIn(("buddy/test_orders", "order 10", "pass"), cases)

    def test_grub_escapes_and_crlf(self):
        r = check("pass_grub_crlf.log", hc.EXIT_PASS)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual((r.passed, r.skipped), (10, 1))

    def test_interleaved_printk_lines_are_ignored(self):
        r = check("interleaved.log", hc.EXIT_PASS)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual((r.passed, r.failed, r.skipped), (3, 0, 0))

    def test_status_not_given_is_not_checked(self):
        r = check("pass.log", None)
        self.assertTrue(r.ok)
        self.assertIn("exit status not checked", r.reason)


class Failing(unittest.TestCase):
    def assertFailure(self, r, kind, *words):
        self.assertFalse(r.ok, "expected a failure, got PASS: " + r.reason)
        self.assertEqual(r.kind, kind, r.reason)
        for w in words:
            self.assertIn(w, r.reason)

    def test_failed_case_names_case_and_location(self):
        r = check("fail_case.log", hc.EXIT_FAIL)
        self.assertFailure(r, "test-failed", "test failed: buddy/test_merge",
                           "tests/kernel/buddy_test.c:40", "Expected order == 3")
        self.assertEqual((r.passed, r.failed, r.skipped), (2, 1, 1))
        self.assertIn(("buddy", "test_merge", "fail"), r.cases)

    def test_failed_case_even_with_pass_exit(self):
        self.assertFailure(check("fail_case.log", hc.EXIT_PASS), "test-failed")

    def test_panic_quotes_message(self):
        r = check("panic.log", hc.EXIT_FAIL)
        self.assertFailure(r, "panic", "kernel panic: buddy: free list corrupted at order 4",
                           "during buddy")

    def test_oops_quotes_oops_line(self):
        r = check("oops.log", hc.EXIT_FAIL)
        self.assertFailure(r, "oops", "unexpected oops: Oops: #PF page fault, error 0x0002")
        self.assertIn("panic", [k for k, _ in r.problems])

    def test_timeout_is_a_hang_with_last_line(self):
        r = check("hang.log", hc.EXIT_TIMEOUT, True, timeout=15)
        self.assertFailure(r, "hang", "timed out after 15 s: the kernel hung",
                           "last line: [    0.004000] crash=hang: spinning")

    def test_status_124_alone_means_timeout(self):
        self.assertFailure(check("hang.log", hc.EXIT_TIMEOUT), "hang", "timed out")

    def test_truncated_run_is_missing_output(self):
        r = check("truncated.log", hc.EXIT_PASS)
        self.assertFailure(r, "missing-output", "suite buddy: planned 4 results, got 2",
                           "top level: planned 2 results, got 1")

    def test_truncated_run_that_timed_out_is_a_hang(self):
        r = check("truncated.log", hc.EXIT_TIMEOUT, True, timeout=300)
        self.assertFailure(r, "hang", "timed out after 300 s", "last line: ok 2 test_merge")

    def test_wrong_totals_line(self):
        r = check("bad_totals.log", hc.EXIT_PASS)
        self.assertFailure(r, "bad-totals", "# Totals: pass:3 fail:0 skip:0 total:3",
                           "pass:2 fail:0 skip:0 total:2")

    def test_wrong_suite_counts_line(self):
        text = sample("pass.log").replace("# paging: pass:2", "# paging: pass:1")
        self.assertFailure(kc.check(text, hc.EXIT_PASS, False), "bad-totals", "# paging: pass:1")

    def test_missing_top_level_plan(self):
        self.assertFailure(check("missing_plan.log", hc.EXIT_PASS), "missing-output",
                           "top level: no plan line")

    def test_no_ktap_at_all(self):
        self.assertFailure(check("no_ktap.log", hc.EXIT_PASS), "missing-output",
                           "no 'KTAP version 1' line", "no suite matches")

    def test_missing_totals_line(self):
        text = sample("pass.log").replace("# Totals:", "# Tot:")
        self.assertFailure(kc.check(text, hc.EXIT_PASS, False), "missing-output",
                           "no '# Totals:' line")

    def test_results_out_of_order(self):
        text = sample("pass.log").replace("    ok 2 test_nx", "    ok 3 test_nx")
        self.assertFailure(kc.check(text, hc.EXIT_PASS, False), "missing-output",
                           "numbered 3, expected 2")

    def test_ok_suite_with_failed_case_is_a_failure(self):
        text = sample("fail_case.log").replace("not ok 2 buddy", "ok 2 buddy")
        r = kc.check(text, hc.EXIT_FAIL, False)
        self.assertFailure(r, "test-failed", "buddy/test_merge")
        self.assertIn("missing-output", [k for k, _ in r.problems])

    def test_not_ok_skip_counts_as_failure(self):
        text = sample("pass.log").replace("ok 3 test_highmem # SKIP", "not ok 3 test_highmem # SKIP")
        self.assertFailure(kc.check(text, hc.EXIT_FAIL, False), "test-failed",
                           "buddy/test_highmem")

    def test_triple_fault_reset(self):
        self.assertFailure(check("reset.log", hc.EXIT_RESET), "reset",
                           "triple fault or reset", "crash=triple")

    def test_reset_after_all_ok_is_never_a_pass(self):
        self.assertFailure(check("pass.log", hc.EXIT_RESET), "reset")

    def test_qemu_error_quotes_stderr(self):
        err = "qemu-system-i386: -m 99999999: cannot set up guest memory 'pc.ram'\n"
        r = kc.check("", hc.EXIT_QEMU_ERROR, False, stderr=err)
        self.assertFailure(r, "qemu-error", "QEMU error (exit 1)", "cannot set up guest memory")
        self.assertEqual(len(r.problems), 1)

    def test_qemu_error_after_all_ok_is_never_a_pass(self):
        self.assertFailure(check("pass.log", hc.EXIT_QEMU_ERROR), "qemu-error")

    def test_all_ok_but_fail_exit(self):
        self.assertFailure(check("pass.log", hc.EXIT_FAIL), "bad-exit",
                           "exited FAIL (35) although all 11 results passed")

    def test_all_ok_but_odd_exit(self):
        self.assertFailure(check("pass.log", 3), "bad-exit", "unexpected exit status 3")

    def test_no_pae(self):
        self.assertFailure(check("nopae.log", hc.EXIT_FAIL), "no-pae", hc.PAE_MESSAGE)

    def test_prove_disagreement(self):
        with mock.patch.object(kc, "run_prove", return_value=(False, "Failed 1/3 subtests")):
            r = check("pass.log", hc.EXIT_PASS)
        self.assertFailure(r, "prove", "prove disagrees: Failed 1/3 subtests")


@unittest.skipUnless(kc.shutil.which("prove"), "prove is not installed")
class BadInput(unittest.TestCase):
    """Issue 20 items 5-7: runs that once ended with the pass code although they
    proved nothing (logs from real boots of the fixed kernel, except
    bench_no_ktap.log, which the old kernel printed for `ktest=printk bench`)."""

    def assertFailure(self, r, kind, *words):
        self.assertFalse(r.ok, "expected a failure, got PASS: " + r.reason)
        self.assertEqual(r.kind, kind, r.reason)
        for w in words:
            self.assertIn(w, r.reason)

    def test_zero_tests_is_never_a_pass(self):
        # `ktest=` (also `ktest=,` and `ktest=all ktest=`): 1..0, Totals all 0. The
        # old kernel exited 33 here and the checker said PASS.
        for status in (hc.EXIT_PASS, hc.EXIT_FAIL):
            self.assertFailure(check("no_tests.log", status), "no-tests", "no test ran",
                               "0 skipped", "plan 1..0")

    def test_only_skips_is_never_a_pass(self):
        text = ("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: zones\n"
                "    1..2\n    ok 1 a # SKIP no Normal zone\n    ok 2 b # SKIP no Normal zone\n"
                "# zones: pass:0 fail:0 skip:2 total:2\nok 1 zones\n"
                "# Totals: pass:0 fail:0 skip:2 total:2\n")
        r = kc.check(text, hc.EXIT_PASS, False)
        self.assertFailure(r, "no-tests", "2 skipped")

    def test_long_spec_runs_its_last_suite(self):
        # A 280-character ktest= spec ("e820," x 51 then a failing suite): the old
        # kernel cut it at 255 characters, right after a comma, and passed.
        r = check("long_spec.log", hc.EXIT_FAIL)
        self.assertFailure(r, "test-failed", "ktest_selftest_fail/test_fails_on_purpose")
        self.assertEqual(r.passed, 51 * 5 + 1)  # e820 has 5 cases; the self-test suite 1 passing

    def test_bench_and_ktest_both_run(self):
        r = check("bench_and_ktest.log", hc.EXIT_PASS)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual((r.passed, r.failed), (6, 0))
        self.assertIn("# bench-end", sample("bench_and_ktest.log"))

    def test_bench_without_ktap_is_missing_output(self):
        self.assertFailure(check("bench_no_ktap.log", hc.EXIT_PASS), "missing-output",
                           "no 'KTAP version 1' line")


class Prove(unittest.TestCase):
    def test_prove_accepts_top_level_of_a_pass(self):
        lines = kc.parse_ktap(hc.clean_lines(sample("interleaved.log"))).top_lines
        self.assertEqual(kc.run_prove(lines)[0], True)

    def test_prove_rejects_short_plan(self):
        ok, msg = kc.run_prove(["1..3", "ok 1 a", "ok 2 b"])
        self.assertFalse(ok)
        self.assertIn("planned 3", msg)


class Verdict(unittest.TestCase):
    def test_expect_fail_inverts(self):
        r = check("panic.log", hc.EXIT_FAIL)
        self.assertEqual(kc.verdict(r, True, "panic")[0], True)
        self.assertEqual(kc.verdict(r, True, "hang")[0], False)
        self.assertEqual(kc.verdict(check("pass.log", 33), True)[0], False)

    def test_cli_prints_one_line_and_exit_status(self):
        tool = os.path.join(TOOLS, "ktap-check")
        for log, status, rc, start in (("pass.log", "33", 0, "PASS  mem=2048 iso: 10 passed"),
                                       ("fail_case.log", "35", 1, "FAIL  fail_case.log: test")):
            args = [sys.executable, tool, os.path.join(HERE, log), "--status", status]
            if rc == 0:
                args += ["--name", "mem=2048 iso"]
            p = subprocess.run(args, stdout=subprocess.PIPE, text=True)
            self.assertEqual(p.returncode, rc)
            self.assertEqual(len(p.stdout.splitlines()), 1)
            self.assertTrue(p.stdout.startswith(start), p.stdout)


class CpuCount(unittest.TestCase):
    """--cpus N: a run that asked for N CPUs passes only if N came up (issue 20 item 8)."""

    def with_cpus(self, line):
        return "[    0.1] %s\n" % line + sample("pass.log") if line else sample("pass.log")

    def test_asked_four_got_four(self):
        r = kc.check(self.with_cpus("smp: Brought up 1 node, 4 CPUs"), hc.EXIT_PASS, False, cpus=4)
        self.assertTrue(r.ok, r.reason)

    def test_asked_four_got_one_is_a_failure(self):
        r = kc.check(self.with_cpus("smp: Brought up 1 node, 1 CPU"), hc.EXIT_PASS, False, cpus=4)
        self.assertFalse(r.ok)
        self.assertEqual(r.kind, "cpu-count")
        self.assertIn("asked for 4 CPU(s), 1 came up", r.reason)

    def test_no_bring_up_line_is_a_failure(self):
        r = kc.check(self.with_cpus(None), hc.EXIT_PASS, False, cpus=1)
        self.assertEqual((r.ok, r.kind), (False, "cpu-count"))

    def test_not_asked_is_not_checked(self):
        self.assertTrue(kc.check(self.with_cpus(None), hc.EXIT_PASS, False).ok)

    def test_count_parsed_from_the_last_line(self):
        self.assertEqual(kc.cpus_brought_up("smp: Brought up 1 node, 8 CPUs\n"), 8)
        self.assertIsNone(kc.cpus_brought_up("smp: 16 CPU(s) described\n"))


class TapResult(unittest.TestResult):
    """Prints one TAP line per test, diagnostics first (as build/host/unit does)."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def _line(self, ok, test, directive="", diag=""):
        self.n += 1
        for d in diag.strip().splitlines()[-6:]:
            print("    # " + d)
        print("%s %d %s%s" % ("ok" if ok else "not ok", self.n, test.id().split(".", 1)[-1],
                              " # " + directive if directive else ""), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test, diag=self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test, diag=self.errors[-1][1])

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, "SKIP " + reason)


def tap_main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    print("TAP version 13\n1..%d" % suite.countTestCases())
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    if "--tap" in sys.argv[1:]:
        sys.exit(tap_main())
    unittest.main()
