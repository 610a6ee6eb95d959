/* uaccess_decl.h - the user-copy functions the file syscalls use, declared
 * with Linux's signatures until include/uaccess.h (the processes work)
 * has them. The lead deletes this file at the merge. */
#ifndef HL_FS_UACCESS_DECL_H
#define HL_FS_UACCESS_DECL_H

/* Each returns the bytes NOT copied (0: all). */
unsigned long copy_from_user(void *to, const void *from, unsigned long n);
unsigned long copy_to_user(void *to, const void *from, unsigned long n);
/* -EFAULT, or the string's length (count if no NUL within count). */
long strncpy_from_user(char *dst, const char *src, long count);

#endif
