/* exec.c - giving a task a program to run in ring 3.
 *
 * exec_user_image is the smallest exec: the program is raw i386 code in
 * the kernel's rodata (the in-kernel tests' programs), copied into a fresh
 * address space whose pages all come from HIGHMEM (GFP_HIGHUSER_MOVABLE)
 * and are filled through kmap_local. ELF execve builds on the same steps
 * once files exist (fs/). The old address space, if any, is dropped the
 * way exit drops it; a kernel thread's borrowed one is given back. */
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "mm_types.h"
#include "process.h"
#include "sched.h"

/* A new user page holding len bytes of src (the rest zero). */
static struct page *user_page_with(const void *src, size_t len)
{
	struct page *p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);

	if (p && len) {
		void *v = kmap_local_page(p);
		memcpy(v, src, len);
		kunmap_local(v);
	}
	return p;
}

/* Fill mm with img's pages; -ENOMEM leaves what was mapped for the caller's zap. */
static int map_image(struct mm_struct *mm, const struct user_image *img)
{
	unsigned long arg = img->arg;
	struct page *code = user_page_with(img->code, img->size);
	struct page *stack = user_page_with(NULL, 0);
	int err = -ENOMEM;

	if (code && stack) {
		u32 *top = (u32 *)((char *)kmap_local_page(stack) + PAGE_SIZE) - 1;
		*top = (u32)arg;
		kunmap_local(top);
		err = install_user_page(mm, USER_IMAGE_BASE, code, PAGE_READONLY_EXEC);
		if (!err)
			err = install_user_page(mm, USER_STACK_TOP - PAGE_SIZE, stack, PAGE_SHARED);
		if (!err && img->shared)
			err = install_user_page(mm, USER_SHARED_BASE, img->shared, PAGE_SHARED);
	}
	/* the mappings hold their own references now */
	if (code)
		put_page(code);
	if (stack)
		put_page(stack);
	return err;
}

int exec_user_image(const struct user_image *img)
{
	struct task *t = current;

	if (img->size > PAGE_SIZE || t->mm)
		return -EINVAL;
	struct mm_struct *mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	int err = map_image(mm, img);
	if (err) {
		zap_page_range(mm, 0, PAGE_OFFSET);
		mmput(mm);
		return err;
	}
	preempt_disable();
	struct mm_struct *old = t->active_mm ? t->active_mm : &init_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(old, mm);
	preempt_enable();
	if (old != &init_mm)
		mmdrop(old); /* the reference a kernel thread holds on a borrowed mm */
	start_user_thread(USER_IMAGE_BASE, USER_STACK_TOP - 4);
}
