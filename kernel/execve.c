/* execve.c - running a program from a file: execve (number 11), ELF32
 * binaries (ET_EXEC, and static-pie ET_DYN), "#!" scripts, and the initial
 * stack of the i386 ELF ABI. Linux's fs/exec.c and fs/binfmt_elf.c, in the
 * order a student reads them:
 *
 *   1. the path, argv and envp are copied out of the caller's memory
 *      (strncpy_from_user) into one kernel buffer, with Linux's limits:
 *      one string at most MAX_ARG_STRLEN (32 pages), all of them with their
 *      pointers at most a quarter of RLIMIT_STACK (2 MB): else -E2BIG;
 *   2. the file is opened (filp_open), must be a regular file with an x
 *      bit (-EACCES), and its first bytes say what it is: "#!" (the
 *      interpreter becomes the program: argv[0] is replaced by interpreter,
 *      optional argument and the script's path; up to BINPRM_MAX_DEPTH
 *      levels) or an ELF header (else -ENOEXEC);
 *   3. a NEW address space is filled while the old one still runs: each
 *      PT_LOAD is a private mapping of the file (its pages are the page
 *      cache's, read-only, copied on the first write: mm/memory.c
 *      do_file_page), the rest of a bss page zeroed, the rest of the bss
 *      anonymous; then the stack with the strings, AT_RANDOM's bytes and
 *      argc/argv/envp/auxv;
 *   4. only then, where nothing can fail any more (Linux's point of no
 *      return, begin_new_exec), the task drops its old address space,
 *      closes its close-on-exec files, takes the basename as its name and
 *      returns to ring 3 at the entry point with the new stack.
 * Any error before 4 returns -errno to the caller with its image intact. */
#include "err.h"
#include "errno.h"
#include "fs.h"
#include "highmem.h"
#include "kstring.h"
#include "mm_types.h"
#include "pagemap.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"
#include "vmalloc.h"

#define BINPRM_BUF_SIZE 256          /* the bytes of a file that say what it is */
#define BINPRM_MAX_DEPTH 4           /* "#!" interpreters that are scripts themselves */
#define MAX_ARG_STRLEN (32 * PAGE_SIZE)
#define ARG_MAX_TOTAL (2UL << 20)    /* RLIMIT_STACK (8 MB) / 4, as Linux */
#define EXEC_PATH_MAX 4096
#define ELF_ET_DYN_BASE 0x80000000UL /* where a static-pie goes: 2/3 of TASK_SIZE, as Linux */
#define STACK_ROOM (32 * PAGE_SIZE)  /* stack mapped below the arguments at exec */

/* ELF32 (the System V ABI's structures and values). */
struct elf32_hdr {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version, e_entry, e_phoff, e_shoff, e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
struct elf32_phdr {
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* The auxiliary vector's keys (Linux's include/uapi/linux/auxvec.h). */
enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
       AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
       AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25,
       AT_HWCAP2 = 26, AT_EXECFN = 31 };
#define AUXV_PAIRS 20

/* Where argv and envp come from: the caller's memory, or the kernel's (init). */
struct user_arg_ptr {
	bool kernel;
	const void *ptr;
};

/* One exec in progress (Linux's struct linux_binprm). */
struct linux_binprm {
	struct file *file;
	char buf[BINPRM_BUF_SIZE];
	char *path;       /* the file being loaded now (the interpreter, for a script) */
	char *execfn;     /* the path execve was given: AT_EXECFN */
	char *strings;    /* argc argv strings, then envc envp strings, each with its NUL */
	size_t used, cap;
	int argc, envc;
	struct mm_struct *mm;
	unsigned long entry, phdr, phnum, sp;
};

/* Room for n more bytes of strings; -E2BIG past Linux's limit. */
static int grow_strings(struct linux_binprm *b, size_t n)
{
	if (b->used + n + 4UL * (b->argc + b->envc + 1) > ARG_MAX_TOTAL)
		return -E2BIG;
	if (b->used + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : PAGE_SIZE;
	while (cap < b->used + n)
		cap *= 2;
	char *s = kvmalloc(cap, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	if (b->used)
		memcpy(s, b->strings, b->used);
	kvfree(b->strings);
	b->strings = s;
	b->cap = cap;
	return 0;
}

/* Append one string (from the kernel, or the caller's src). */
static int add_string(struct linux_binprm *b, const char *src, bool kernel)
{
	if (kernel) {
		size_t n = strlen(src) + 1;
		int err = n > MAX_ARG_STRLEN ? -E2BIG : grow_strings(b, n);
		if (!err) {
			memcpy(b->strings + b->used, src, n);
			b->used += n;
		}
		return err;
	}
	size_t ptrs = 4UL * (b->argc + b->envc + 1);
	size_t budget = b->used + ptrs < ARG_MAX_TOTAL ? ARG_MAX_TOTAL - b->used - ptrs : 0;
	size_t limit = budget < MAX_ARG_STRLEN ? budget : MAX_ARG_STRLEN;
	for (size_t want = limit < 256 ? limit : 256;; want = want * 2 < limit ? want * 2 : limit) {
		if (!want)
			return -E2BIG;
		int err = grow_strings(b, want);
		if (err)
			return err;
		long n = strncpy_from_user(b->strings + b->used, src, (long)want);
		if (n < 0)
			return -EFAULT;
		if ((size_t)n < want) {
			b->used += (size_t)n + 1;
			return 0;
		}
		if (want == limit)
			return -E2BIG; /* longer than a string may be, or than the room left */
	}
}

/* Copy argv or envp (a NULL-terminated array; a NULL array is empty). */
static int copy_strings(struct linux_binprm *b, struct user_arg_ptr a, int *count)
{
	for (unsigned i = 0; a.ptr; i++) {
		const char *s;
		if (a.kernel)
			s = ((const char *const *)a.ptr)[i];
		else if (copy_from_user(&s, (const char *const __user *)a.ptr + i, sizeof(s)))
			return -EFAULT;
		if (!s)
			return 0;
		if (i >= 0x7fffffffU / 8)
			return -E2BIG;
		int err = add_string(b, s, a.kernel);
		if (err)
			return err;
		(*count)++;
	}
	return 0;
}

/* Open b->path for exec and read its first bytes into b->buf. */
static int open_exec(struct linux_binprm *b)
{
	struct file *f = filp_open(b->path, O_RDONLY, 0);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	umode_t mode = file_inode(f)->i_mode;
	if (!S_ISREG(mode) || !(mode & 0111)) {
		fput(f);
		return -EACCES;
	}
	memset(b->buf, 0, sizeof(b->buf));
	loff_t pos = 0;
	ssize_t n = kernel_read(f, b->buf, sizeof(b->buf), &pos);
	if (n < 0) {
		fput(f);
		return (int)n;
	}
	b->file = f;
	return 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* "#!interpreter [one argument]": argv[0] becomes interpreter, the
 * argument if any, and the script's path; the interpreter is loaded next.
 * Linux's binfmt_script; -ENOEXEC for a line longer than the buffer or
 * with no interpreter. */
static int load_script(struct linux_binprm *b)
{
	char *line = b->buf + 2, *end = line;

	while (end < b->buf + sizeof(b->buf) && *end != '\n' && *end)
		end++;
	if (end == b->buf + sizeof(b->buf))
		return -ENOEXEC; /* the line does not fit: Linux says the same */
	*end = 0;
	while (end > line && is_blank(end[-1]))
		*--end = 0;
	while (is_blank(*line))
		line++;
	char *interp = line;
	while (*line && !is_blank(*line))
		line++;
	if (line == interp)
		return -ENOEXEC;
	char *arg = NULL;
	if (*line) {
		*line++ = 0;
		while (is_blank(*line))
			line++;
		arg = *line ? line : NULL;
	}
	/* new strings: interp, arg, path, then argv[1..] and envp */
	size_t skip = b->argc ? strlen(b->strings) + 1 : 0;
	size_t il = strlen(interp) + 1, al = arg ? strlen(arg) + 1 : 0, pl = strlen(b->path) + 1;
	char *old = b->strings;
	size_t oldused = b->used;
	b->strings = NULL;
	b->used = b->cap = 0;
	b->argc = (skip ? b->argc - 1 : 0) + (arg ? 3 : 2);
	int err = grow_strings(b, il + al + pl + oldused - skip);
	if (!err) {
		memcpy(b->strings, interp, il);
		if (arg)
			memcpy(b->strings + il, arg, al);
		memcpy(b->strings + il + al, b->path, pl);
		memcpy(b->strings + il + al + pl, old + skip, oldused - skip);
		b->used = il + al + pl + oldused - skip;
		strlcpy(b->path, interp, EXEC_PATH_MAX);
	}
	kvfree(old);
	fput(b->file);
	b->file = NULL;
	return err;
}

/* Write len bytes of src (NULL: zeros) at uaddr of mm, which need not be
 * the running one: each page is faulted in for writing (a private copy of
 * a file page, a new anonymous page) and written through kmap_local, with
 * a reference held (follow_page_get). */
static int copy_to_mm(struct mm_struct *mm, unsigned long uaddr, const void *src, size_t len)
{
	for (int retries = 0; len;) {
		unsigned long page = uaddr & PAGE_MASK, off = uaddr - page;
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		if (handle_mm_fault(mm, page, FAULT_FLAG_WRITE))
			return -ENOMEM;
		struct page *pg = follow_page_get(mm, page);
		if (!pg) { /* reclaim took it meanwhile: fault it in again */
			if (++retries > 100)
				return -EFAULT;
			continue;
		}
		char *v = kmap_local_page(pg);
		if (src)
			memcpy(v + off, src, n);
		else
			memset(v + off, 0, n);
		kunmap_local(v);
		/* dirty: if reclaim unmapped it meanwhile, its swap copy is older */
		set_page_bit(pg, PG_dirty);
		put_page(pg);
		uaddr += n;
		len -= n;
		if (src)
			src = (const char *)src + n;
	}
	return 0;
}

/* One PT_LOAD at bias: the file's pages privately, the partial page after
 * the file's bytes zeroed, the rest of the bss anonymous. */
static int map_segment(struct linux_binprm *b, const struct elf32_phdr *ph, unsigned long bias)
{
	unsigned long start = bias + ph->p_vaddr, fend = start + ph->p_filesz;
	unsigned long mend = start + ph->p_memsz;
	unsigned long prot = (ph->p_flags & PF_R ? PROT_READ : 0) |
			     (ph->p_flags & PF_W ? PROT_WRITE : 0) | (ph->p_flags & PF_X ? PROT_EXEC : 0);

	if (ph->p_filesz > ph->p_memsz || ((ph->p_vaddr - ph->p_offset) & ~PAGE_MASK) ||
	    mend < start || mend > TASK_SIZE)
		return -ENOEXEC;
	unsigned long map = start & PAGE_MASK;
	if (ph->p_filesz) {
		long r = do_mmap(b->mm, map, PAGE_ALIGN(fend) - map, prot, MAP_PRIVATE | MAP_FIXED,
				 b->file, ph->p_offset >> PAGE_SHIFT);
		if (IS_ERR_VALUE(r))
			return (int)r;
		if (mend > fend && (fend & ~PAGE_MASK) && (prot & PROT_WRITE)) {
			int err = copy_to_mm(b->mm, fend, NULL, PAGE_ALIGN(fend) - fend);
			if (err)
				return err;
		}
		map = PAGE_ALIGN(fend);
	}
	if (PAGE_ALIGN(mend) > map) {
		long r = do_mmap(b->mm, map, PAGE_ALIGN(mend) - map, prot,
				 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0);
		if (IS_ERR_VALUE(r))
			return (int)r;
	}
	if (PAGE_ALIGN(mend) > b->mm->start_brk)
		b->mm->start_brk = b->mm->brk = PAGE_ALIGN(mend);
	/* The layout /proc/PID/stat and status report (Linux's start_code...). */
	unsigned long *lo = ph->p_flags & PF_X ? &b->mm->start_code : &b->mm->start_data;
	unsigned long *hi = ph->p_flags & PF_X ? &b->mm->end_code : &b->mm->end_data;
	if (!*lo || start < *lo)
		*lo = start;
	if (fend > *hi)
		*hi = fend;
	return 0;
}

/* Check the ELF header in b->buf and map the program into b->mm. */
static int load_elf_binary(struct linux_binprm *b)
{
	const struct elf32_hdr *eh = (const void *)b->buf;

	if (memcmp(eh->e_ident, "\177ELF", 4))
		return -ENOEXEC;
	if (eh->e_ident[4] != 1 || eh->e_ident[5] != 1 || eh->e_machine != EM_386 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf32_phdr) || !eh->e_phnum ||
	    eh->e_phnum > 65536 / sizeof(struct elf32_phdr))
		return -ENOEXEC;
	size_t size = eh->e_phnum * sizeof(struct elf32_phdr);
	struct elf32_phdr *ph = kmalloc(size, GFP_KERNEL);
	if (!ph)
		return -ENOMEM;
	loff_t pos = eh->e_phoff;
	int err = kernel_read(b->file, ph, size, &pos) == (ssize_t)size ? 0 : -ENOEXEC;
	unsigned long bias = eh->e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	bool first = true;
	b->phdr = 0;
	for (unsigned i = 0; !err && i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			err = -ENOEXEC; /* dynamically linked: no ld.so here (static programs only) */
		else if (ph[i].p_type == PT_PHDR)
			b->phdr = bias + ph[i].p_vaddr;
	}
	for (unsigned i = 0; !err && i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (first && !b->phdr && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff + size <= ph[i].p_offset + ph[i].p_filesz)
			b->phdr = bias + ph[i].p_vaddr - ph[i].p_offset + eh->e_phoff;
		first = false;
		err = map_segment(b, &ph[i], bias);
	}
	if (!err && first)
		err = -ENOEXEC; /* nothing to load */
	b->entry = bias + eh->e_entry;
	b->phnum = eh->e_phnum;
	kfree(ph);
	return err;
}

/* Put string s (with its NUL) below *p on the new stack; its address. */
static int push_bytes(struct linux_binprm *b, unsigned long *p, const void *s, size_t n)
{
	*p -= n;
	return copy_to_mm(b->mm, *p, s, n);
}

/* The initial stack of the i386 ELF ABI, from USER_STACK_TOP down: the
 * path, the argv and envp strings, "i686", AT_RANDOM's 16 bytes, then
 * (16-byte aligned, where esp points at entry) argc, argv[], NULL,
 * envp[], NULL and the auxv pairs ending with AT_NULL. Linux's order. */
static int create_elf_tables(struct linux_binprm *b)
{
	size_t fnlen = strlen(b->execfn) + 1;
	size_t words = 1 + (size_t)b->argc + 1 + (size_t)b->envc + 1 + 2 * AUXV_PAIRS;
	size_t need = fnlen + b->used + 8 + 16 + 16 + 4 * words + 16;
	unsigned long size = PAGE_ALIGN(need) + STACK_ROOM;
	long r = do_mmap(b->mm, USER_STACK_TOP - size, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN, NULL, 0);
	if (IS_ERR_VALUE(r))
		return (int)r;
	unsigned long p = USER_STACK_TOP, execfn, strings, platform, random;
	u32 rnd[4] = { arch_random_u32(), arch_random_u32(), arch_random_u32(), arch_random_u32() };
	int err = push_bytes(b, &p, b->execfn, fnlen);
	execfn = p;
	err = err ?: push_bytes(b, &p, b->strings, b->used);
	strings = p;
	size_t argbytes = 0; /* where argv's strings end and envp's begin (/proc/PID/cmdline) */
	for (int k = 0; k < b->argc; k++)
		argbytes += strlen(b->strings + argbytes) + 1;
	b->mm->arg_start = strings;
	b->mm->arg_end = b->mm->env_start = strings + argbytes;
	b->mm->env_end = strings + b->used;
	err = err ?: push_bytes(b, &p, "i686", 5);
	platform = p;
	p &= ~15UL;
	err = err ?: push_bytes(b, &p, rnd, sizeof(rnd));
	random = p;
	if (err)
		return err;
	u32 *w = kvmalloc(4 * words, GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	size_t i = 0;
	w[i++] = (u32)b->argc;
	const char *s = b->strings;
	for (int k = 0; k < b->argc + b->envc; k++) {
		if (k == b->argc)
			w[i++] = 0;
		w[i++] = (u32)(strings + (unsigned long)(s - b->strings));
		s += strlen(s) + 1;
	}
	if (b->argc == b->argc + b->envc)
		w[i++] = 0;
	w[i++] = 0;
	const u32 aux[] = { AT_HWCAP, (u32)arch_elf_hwcap(), AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, 100,
			    AT_PHDR, (u32)b->phdr, AT_PHENT, sizeof(struct elf32_phdr),
			    AT_PHNUM, (u32)b->phnum, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, (u32)b->entry,
			    AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
			    AT_RANDOM, (u32)random, AT_HWCAP2, 0, AT_EXECFN, (u32)execfn,
			    AT_PLATFORM, (u32)platform, AT_NULL, 0 };
	_Static_assert(sizeof(aux) / sizeof(aux[0]) <= 2 * AUXV_PAIRS, "AUXV_PAIRS");
	memcpy(&w[i], aux, sizeof(aux));
	i += sizeof(aux) / sizeof(aux[0]);
	b->sp = (p - 4 * i) & ~15UL;
	b->mm->start_stack = b->sp; /* maps names the region holding it [stack] */
	err = copy_to_mm(b->mm, b->sp, w, 4 * i);
	kvfree(w);
	return err;
}

/* The point of no return: the task's address space becomes b->mm (the
 * old one, or the one a kernel thread borrowed, let go); nothing fails. */
static void exec_mmap(struct mm_struct *mm)
{
	struct task *t = current;
	struct mm_struct *old = t->mm;

	if (old)
		exit_mmap(old); /* flushed while still loaded */
	preempt_disable();
	struct mm_struct *active = t->active_mm ? t->active_mm : &init_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(active, mm);
	arch_fpu_init_current(t);
	preempt_enable();
	if (old)
		mmput(old);
	else if (active != &init_mm)
		mmdrop(active); /* a kernel thread's borrowed mm */
}

/* The new program's name: the last part of its path (Linux's __set_task_comm). */
static void set_comm(struct task *t, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(t->name, base, TASK_COMM_LEN);
}

/* Load b->path (a script's interpreter after it) into a new b->mm. */
static int exec_binprm(struct linux_binprm *b)
{
	for (int depth = 0;; depth++) {
		int err = open_exec(b);
		if (err)
			return err;
		if (b->buf[0] == '#' && b->buf[1] == '!') {
			if (depth == BINPRM_MAX_DEPTH)
				return -ELOOP;
			err = load_script(b);
			if (err)
				return err;
			continue;
		}
		b->mm = mm_alloc();
		if (!b->mm)
			return -ENOMEM;
		err = load_elf_binary(b);
		return err ?: create_elf_tables(b);
	}
}

/* execve's work for a path and argument arrays from the caller (or, for
 * init, from the kernel). 0: the task now runs the new program from
 * b's entry and sp (*entry, *sp); else -errno and nothing changed. */
static int do_execve(const char *path, struct user_arg_ptr argv, struct user_arg_ptr envp,
		     unsigned long *entry, unsigned long *sp)
{
	struct linux_binprm b = { 0 };
	int err = -ENOMEM;

	b.path = kmalloc(EXEC_PATH_MAX, GFP_KERNEL);
	b.execfn = kmalloc(EXEC_PATH_MAX, GFP_KERNEL);
	if (!b.path || !b.execfn)
		goto out;
	strlcpy(b.path, path, EXEC_PATH_MAX);
	strlcpy(b.execfn, path, EXEC_PATH_MAX);
	err = copy_strings(&b, argv, &b.argc);
	if (!err)
		err = copy_strings(&b, envp, &b.envc);
	if (!err)
		err = exec_binprm(&b);
	if (err)
		goto out;
	/* ---- the point of no return ---- */
	struct task *t = current;
	exec_mmap(b.mm);
	b.mm = NULL;
	if (t->files)
		do_close_on_exec(t->files);
	set_comm(t, b.execfn);
	t->clear_child_tid = 0;
	flush_signal_handlers(t); /* caught signals back to SIG_DFL; ignored stay ignored */
	*entry = b.entry;
	*sp = b.sp;
out:
	if (b.mm) {
		exit_mmap(b.mm);
		mmput(b.mm);
	}
	if (b.file)
		fput(b.file);
	kvfree(b.strings);
	kfree(b.path);
	kfree(b.execfn);
	return err;
}

SYSCALL_DEFINE3(execve, __NR_execve, const char __user *, filename,
		const char __user *const __user *, argv, const char __user *const __user *, envp)
{
	char *path = kmalloc(EXEC_PATH_MAX, GFP_KERNEL);

	if (!path)
		return -ENOMEM;
	long n = strncpy_from_user(path, filename, EXEC_PATH_MAX);
	long err = n < 0 ? -EFAULT : n == EXEC_PATH_MAX ? -ENAMETOOLONG : !n ? -ENOENT : 0;
	unsigned long entry, sp;
	if (!err)
		err = do_execve(path, (struct user_arg_ptr){ false, argv },
				(struct user_arg_ptr){ false, envp }, &entry, &sp);
	kfree(path);
	if (!err)
		start_thread(task_pt_regs(current), entry, sp);
	return err; /* 0 into eax: the new program starts with eax 0 */
}

int kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	unsigned long entry, sp;
	int err = do_execve(path, (struct user_arg_ptr){ true, argv },
			    (struct user_arg_ptr){ true, envp }, &entry, &sp);

	if (err)
		return err;
	process_init(current, NULL);
	start_user_thread(entry, sp);
}
