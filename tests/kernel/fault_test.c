/* fault_test.c - the harness's expected-fault machinery on real exceptions. */
#include "ktest.h"
#include "layout.h"

/* Inside the 8 MB gap after the direct map: never mapped, by design. */
#define HOLE (high_memory + VMALLOC_OFFSET / 2)
#define UNMAPPED ((volatile u32 *)HOLE)

static void test_expected_page_fault(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, HOLE, (void)*UNMAPPED);
	KTEST_EXPECT_EQ(t, t->fault_vector, 14);
	KTEST_EXPECT_EQ(t, t->fault_error & 1, 0); /* not-present page */
	KTEST_EXPECT_EQ(t, t->fault_error & 2, 0); /* a read */
}

static void test_expected_write_fault(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, HOLE + 0xff0, *(UNMAPPED + 0x3fc) = 1);
	KTEST_EXPECT_EQ(t, t->fault_error & 2, 2); /* a write */
}

static void test_expected_invalid_opcode(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 6, KTEST_ANY_ADDR, __asm__ volatile("ud2"));
}

static void test_divide_error(struct ktest *t)
{
	volatile u32 zero = 0;
	volatile u32 r = 0;

	KTEST_EXPECT_FAULT(t, 0, KTEST_ANY_ADDR, r = 10 / zero);
	(void)r;
}

/* The harness must notice a fault that does not happen, and the wrong one. */
static void test_missing_fault_is_a_failure(struct ktest *t)
{
	struct ktest sub = { .name = "sub", .quiet = true };
	volatile u32 x = 0;

	KTEST_EXPECT_FAULT(&sub, 14, KTEST_ANY_ADDR, x++);
	KTEST_EXPECT_EQ(t, sub.failed, 1);
	sub.failed = 0;
	KTEST_EXPECT_FAULT(&sub, 14, KTEST_ANY_ADDR, __asm__ volatile("ud2"));
	KTEST_EXPECT_EQ(t, sub.failed, 1);
	sub.failed = 0;
	KTEST_EXPECT_FAULT(&sub, 14, HOLE + 0x1000, (void)*UNMAPPED);
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
