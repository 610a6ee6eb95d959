/* fault_test.c - the exception table on real exceptions: a fault at a
 * listed instruction resumes at its fixup, which returns -EFAULT, and the
 * harness's KTEST_EXPECT_FAULT built on it notices a missing or wrong fault. */
#include "ktest.h"
#include "layout.h"

/* Inside the 8 MB gap after the direct map: never mapped, by design. */
#define HOLE (high_memory + VMALLOC_OFFSET / 2)
#define UNMAPPED ((volatile u32 *)HOLE)

static void test_expected_page_fault(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, HOLE, ktest_read_nofault(HOLE));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & 1, 0); /* not-present page */
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & 2, 0); /* a read */
}

static void test_expected_write_fault(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, HOLE + 0xff0, ktest_write_nofault(HOLE + 0xff0, 1));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & 2, 2); /* a write */
}

static void test_expected_invalid_opcode(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 6, KTEST_ANY_ADDR, ud2_nofault());
}

static void test_divide_error(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 0, KTEST_ANY_ADDR, divide_by_zero_nofault());
}

/* The harness must notice a fault that does not happen, and the wrong one. */
static void test_missing_fault_is_a_failure(struct ktest *t)
{
	struct ktest sub = { .name = "sub", .quiet = true };
	static u8 x;

	KTEST_EXPECT_FAULT(&sub, 14, KTEST_ANY_ADDR, ktest_write_nofault(&x, 1));
	KTEST_EXPECT_EQ(t, sub.failed, 1);
	sub.failed = 0;
	KTEST_EXPECT_FAULT(&sub, 14, KTEST_ANY_ADDR, ud2_nofault());
	KTEST_EXPECT_EQ(t, sub.failed, 1);
	sub.failed = 0;
	KTEST_EXPECT_FAULT(&sub, 14, HOLE + 0x1000, ktest_read_nofault(HOLE));
	KTEST_EXPECT_EQ(t, sub.failed, 1); /* right vector, wrong address */
}

static struct ktest_case fault_cases[] = {
	KTEST_CASE(test_expected_page_fault),
	KTEST_CASE(test_expected_write_fault),
	KTEST_CASE(test_expected_invalid_opcode),
	KTEST_CASE(test_divide_error),
	KTEST_CASE(test_missing_fault_is_a_failure),
	{ 0 },
};
KTEST_SUITE(faults, fault_cases);
