/* monitor_internal.h - what the monitor's command files share: number
 * arguments, the blocks the monitor owns, and the commands that live
 * outside monitor_cmds.c (monitor_mm.c: kmap_atomic/kmap_local, kmalloc,
 * vmalloc, kvmalloc, fill). Each command is int fn(argc, argv): 0, or -1
 * after a message saying what was wrong. */
#ifndef HL_MONITOR_INTERNAL_H
#define HL_MONITOR_INTERNAL_H

#include "gfp.h"
#include "mm.h"
#include "types.h"

#ifndef EINVAL
#define EINVAL 22 /* Linux's value: not a number */
#endif
#ifndef ERANGE
#define ERANGE 34 /* Linux's value: a number too large */
#endif

/* Parse arg (decimal or 0x hex) into *v: 0, or -EINVAL / -ERANGE after a
 * message naming cmd and saying which ("not a number" / "too large"). */
int monitor_number(const char *cmd, const char *arg, unsigned long *v);
/* The same for a required argument (`what` names it when it is missing): 0 or -1. */
int need_number(const char *cmd, const char *what, const char *arg, unsigned long *v);
/* A page inside a block this monitor allocated with `alloc` (argv[1] is its
 * PFN), or NULL after a refusal naming cmd. */
struct page *owned_page(const char *cmd, int argc, char **argv);
/* Why an allocation failed (watermark, lowmem_reserve, no block): printed. */
void monitor_explain_failure(gfp_t gfp, unsigned order);

/* kmap_local mappings the monitor holds now (on its CPU's slot stack). */
int monitor_kmap_local_held(void);

int cmd_kmap_atomic(int argc, char **argv);
int cmd_kmap_local(int argc, char **argv);
int cmd_kunmap_local(int argc, char **argv);
int cmd_kmaps(int argc, char **argv);
int cmd_kmalloc(int argc, char **argv);
int cmd_kfree(int argc, char **argv);
int cmd_vmalloc(int argc, char **argv);
int cmd_vfree(int argc, char **argv);
int cmd_kvmalloc(int argc, char **argv);
int cmd_kvfree(int argc, char **argv);
int cmd_fill(int argc, char **argv);

#endif
