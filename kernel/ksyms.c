/* ksyms.c - address -> name lookups over the embedded, sorted symbol table.
 * The table (section .ksyms) is generated from the first link by
 * tools/gen-ksyms.py; it holds function symbols only. */
#include "ksyms.h"
#include "kstring.h"
#include "printk.h"

struct ksym {
	u32 addr;
	u32 name; /* offset into ksym_names */
};

/* Defined by the generated build/ksyms.c (empty in the first link). */
extern const u32 ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];
extern const u32 ksym_text_end;

const char *ksym_lookup(u32 addr, u32 *offset, u32 *size)
{
	u32 lo = 0, hi = ksym_count;

	if (!ksym_count || addr < ksym_table[0].addr || addr >= ksym_text_end)
		return NULL;
	while (hi - lo > 1) { /* last entry with table[i].addr <= addr */
		u32 mid = (lo + hi) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	u32 end = lo + 1 < ksym_count ? ksym_table[lo + 1].addr : ksym_text_end;
	*offset = addr - ksym_table[lo].addr;
	*size = end - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}

void ksym_format(u32 addr, char *buf, size_t size)
{
	u32 off, len;
	const char *name = ksym_lookup(addr, &off, &len);

	if (name)
		snprintf(buf, size, "%s+0x%x/0x%x", name, off, len);
	else
		snprintf(buf, size, "0x%08x", addr);
}

u32 ksym_address(const char *name)
{
	for (u32 i = 0; i < ksym_count; i++)
		if (strcmp(ksym_names + ksym_table[i].name, name) == 0)
			return ksym_table[i].addr;
	return 0;
}
