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

/* A region [start, start + len) with PROT_* and MAP_* flags, or -errno. */
static int region(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot,
		  unsigned long flags)
{
	long r = do_mmap(mm, start, len, prot, flags | MAP_FIXED | MAP_ANONYMOUS, NULL, 0);

	return IS_ERR_VALUE(r) ? (int)r : 0;
}

/* Fill mm with img's regions and pages; an error leaves them for exit_mmap. */
static int map_image(struct mm_struct *mm, const struct user_image *img)
{
	unsigned long stack_lo = USER_STACK_TOP - PAGE_SIZE;
	int err = region(mm, USER_IMAGE_BASE, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	if (!err)
		err = region(mm, stack_lo, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_GROWSDOWN);
	if (err)
		return err;
	if (img->shared) { /* the caller's page, not a new one: map it by hand */
		struct vm_area_struct *v = vm_area_alloc(mm);
		if (!v)
			return -ENOMEM;
		v->vm_start = USER_SHARED_BASE;
		v->vm_end = USER_SHARED_BASE + PAGE_SIZE;
		v->vm_flags = VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD | VM_MAYWRITE;
		v->vm_page_prot = vm_get_page_prot(v->vm_flags);
		err = insert_vm_struct(mm, v);
		if (err) {
			vm_area_free(v);
			return err;
		}
		err = install_user_page(mm, USER_SHARED_BASE, img->shared, v->vm_page_prot);
		if (err)
			return err;
	}
	struct page *code = user_page_with(img->code, img->size);
	struct page *stack = user_page_with(NULL, 0);
	err = -ENOMEM;
	if (code && stack) {
		u32 *top = (u32 *)((char *)kmap_local_page(stack) + PAGE_SIZE) - 1;
		*top = (u32)img->arg;
		kunmap_local(top);
		err = install_user_page(mm, USER_IMAGE_BASE, code, PAGE_READONLY_EXEC);
		if (!err) /* the process's own page: writable at once */
			err = install_user_page(mm, stack_lo, stack, PAGE_SHARED);
	}
	/* the mappings hold their own references now */
	if (code)
		put_page(code);
	if (stack)
		put_page(stack);
	mm->start_brk = mm->brk = USER_IMAGE_BASE + PAGE_SIZE;
	mm->start_stack = USER_STACK_TOP - 4;
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
		exit_mmap(mm);
		mmput(mm);
		return err;
	}
	preempt_disable();
	struct mm_struct *old = t->active_mm ? t->active_mm : &init_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(old, mm);
	arch_fpu_init_current(t);
	process_init(t, NULL); /* the kernel thread's creator joins it */
	preempt_enable();
	if (old != &init_mm)
		mmdrop(old); /* the reference a kernel thread holds on a borrowed mm */
	start_user_thread(USER_IMAGE_BASE, USER_STACK_TOP - 4);
}
