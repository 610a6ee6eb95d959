/* acpi.c - reading the processor list from the firmware: the ACPI MADT
 * ("APIC" table, found through the XSDT or the RSDT), or failing that the
 * Intel MP table.
 *
 * The RSDP (and the MP floating pointer) are in the first MB, which the
 * direct map covers. The tables they point to usually sit just below the
 * top of low RAM (0x7ffe0000 at 2 GB), which is above lowmem at 2 GB and
 * 8 GB, so they are read through the FIX_ACPI fixmap pages. */
#include "arch.h"
#include "kstring.h"
#include "layout.h"
#include "mm.h"
#include "pgtable.h"
#include "printk.h"
#include "smp.h"

struct smp_config smp_config = { .source = "none" };

/* Copy len bytes of firmware memory at pa into dst through the fixmap. */
static void fw_read(phys_addr_t pa, void *dst, size_t len)
{
	u8 *out = dst;

	while (len) {
		size_t off = (size_t)(pa & (PAGE_SIZE - 1));
		size_t chunk = MIN(len, PAGE_SIZE - off);
		u8 *va = set_fixmap(FIX_ACPI_BEGIN, pa, PAGE_KERNEL_RO);
		memcpy(out, va, chunk);
		clear_fixmap(FIX_ACPI_BEGIN);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
}

static u8 sum(const void *p, size_t n)
{
	const u8 *b = p;
	u8 s = 0;

	while (n--)
		s += *b++;
	return s;
}

/* Scan [start, end) of the first MB, 16-byte aligned, for a signature. */
static const u8 *scan_low(u32 start, u32 end, const char *sig, size_t siglen, size_t csum_len)
{
	for (u32 a = start; a + csum_len <= end; a += 16) {
		const u8 *p = __va(a);
		if (memcmp(p, sig, siglen) == 0 && sum(p, csum_len) == 0)
			return p;
	}
	return NULL;
}

static const u8 *find_low(const char *sig, size_t siglen, size_t csum_len)
{
	u32 ebda = (u32)*(const u16 *)__va(0x40e) << 4;
	const u8 *p = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		p = scan_low(ebda, ebda + 1024, sig, siglen, csum_len);
	if (!p)
		p = scan_low(0x9fc00, 0xa0000, sig, siglen, csum_len);
	if (!p)
		p = scan_low(0xe0000, 0x100000, sig, siglen, csum_len);
	return p;
}

static void add_cpu(u8 apic_id)
{
	smp_config.described++;
	if (smp_config.nr_cpus < NR_CPUS)
		smp_config.apic_ids[smp_config.nr_cpus++] = apic_id;
	else
		smp_config.ignored++;
}

static u8 table[4096]; /* one firmware table at a time */

/* MADT entries: type 0 = processor local APIC (flags bit 0 enabled,
 * bit 1 online capable), type 1 = I/O APIC (id, address, GSI base), type 2 =
 * interrupt source override (bus 0 = ISA, its IRQ, the GSI, flags), type 5 =
 * 64-bit APIC address. */
static bool parse_madt(phys_addr_t pa)
{
	u32 len;

	fw_read(pa + 4, &len, 4);
	if (len < 44 || len > sizeof(table)) {
		pr_warn("ACPI: MADT length %u is not plausible: ignored\n", len);
		return false;
	}
	fw_read(pa, table, len);
	if (sum(table, len)) {
		pr_warn("ACPI: MADT checksum is wrong: ignored\n");
		return false;
	}
	smp_config.lapic_phys = *(u32 *)(table + 36);
	for (u32 off = 44; off + 2 <= len && table[off + 1] >= 2; off += table[off + 1]) {
		const u8 *e = table + off;
		if (e[0] == 0 && e[1] >= 8 && (e[4] & 1))
			add_cpu(e[3]);
		else if (e[0] == 1 && e[1] >= 12 && !smp_config.ioapic_phys) {
			smp_config.ioapic_phys = *(u32 *)(e + 4);
			smp_config.ioapic_gsi_base = *(u32 *)(e + 8);
		} else if (e[0] == 2 && e[1] >= 10 && e[2] == 0 && e[3] < 16) {
			smp_config.isa_gsi[e[3]] = *(u32 *)(e + 4);
			smp_config.isa_flags[e[3]] = *(u16 *)(e + 8);
		}
	}
	smp_config.source = "ACPI MADT";
	return smp_config.nr_cpus > 0;
}

/* Find the MADT among the n entries (each `width` bytes: 4 in the RSDT, 8 in
 * the XSDT) of the root table in `table`. */
static bool madt_from_root(const char *name, u32 n, u32 width)
{
	u64 entries[64];

	if (n > 64) {
		pr_warn("ACPI: %s lists %u tables, only the first 64 are searched\n", name, n);
		n = 64;
	}
	for (u32 i = 0; i < n; i++) {
		entries[i] = 0;
		memcpy(&entries[i], table + 36 + i * width, width);
	}
	for (u32 i = 0; i < n; i++) {
		char sig[4];
		fw_read(entries[i], sig, 4);
		if (memcmp(sig, "APIC", 4) == 0)
			return parse_madt(entries[i]);
	}
	pr_warn("ACPI: no MADT in the %s\n", name);
	return false;
}

/* The RSDP (ACPI 1.0: 20 bytes, the RSDT's 32-bit address at 16; 2.0 and
 * later: revision >= 2, 36 bytes with their own checksum, the XSDT's 64-bit
 * address at 24). The XSDT is preferred when there is one, as the spec asks;
 * QEMU's microvm has only an XSDT (its RSDT address is 0). */
static bool find_acpi(void)
{
	const u8 *rsdp = find_low("RSD PTR ", 8, 20);
	u32 rsdt, hdr[2];
	u64 xsdt = 0;

	if (!rsdp)
		return false;
	rsdt = *(const u32 *)(rsdp + 16);
	if (rsdp[15] >= 2 && sum(rsdp, 36) == 0)
		memcpy(&xsdt, rsdp + 24, 8);
	pr_info("ACPI: RSDP at %#lx (revision %u), RSDT at %#x, XSDT at %#llx\n",
		(unsigned long)__pa(rsdp), rsdp[15], rsdt, (unsigned long long)xsdt);
	if (xsdt) {
		fw_read(xsdt, hdr, 8);
		if (memcmp(hdr, "XSDT", 4) == 0 && hdr[1] >= 36 && hdr[1] <= sizeof(table)) {
			fw_read(xsdt, table, hdr[1]);
			if (sum(table, hdr[1]) == 0)
				return madt_from_root("XSDT", (hdr[1] - 36) / 8, 8);
		}
		pr_warn("ACPI: XSDT at %#llx is not valid: trying the RSDT\n",
			(unsigned long long)xsdt);
	}
	fw_read(rsdt, hdr, 8);
	if (!rsdt || memcmp(hdr, "RSDT", 4) || hdr[1] < 36 || hdr[1] > sizeof(table)) {
		pr_warn("ACPI: RSDT at %#x is not valid: ignored\n", rsdt);
		return false;
	}
	fw_read(rsdt, table, hdr[1]);
	return madt_from_root("RSDT", (hdr[1] - 36) / 4, 4);
}

/* MP table: floating pointer "_MP_" -> configuration table "PCMP" whose
 * processor entries (type 0, 20 bytes) have flags bit 0 = enabled; bus
 * entries (type 1) name the ISA bus, I/O APIC entries (type 2) its address,
 * and interrupt entries (type 3: kind 0 = INT, flags, bus, IRQ, I/O APIC,
 * pin) where each ISA IRQ arrives. Entries of types 1-4 are 8 bytes. */
static bool find_mptable(void)
{
	const u8 *mpf = find_low("_MP_", 4, 16);
	u8 hdr[44];

	if (!mpf || !*(const u32 *)(mpf + 4))
		return false;
	u32 cfg = *(const u32 *)(mpf + 4);
	fw_read(cfg, hdr, sizeof(hdr));
	u16 len = *(u16 *)(hdr + 4);
	if (memcmp(hdr, "PCMP", 4) || len < 44 || len > sizeof(table)) {
		pr_warn("MP table at %#x is not valid: ignored\n", cfg);
		return false;
	}
	fw_read(cfg, table, len);
	smp_config.lapic_phys = *(u32 *)(table + 36);
	int isa_bus = -1;
	for (u32 off = 44; off < len;) {
		u8 type = table[off];
		if (type == 1 && memcmp(table + off + 2, "ISA", 3) == 0)
			isa_bus = table[off + 1];
		if (type == 3 && table[off + 1] == 0 && table[off + 4] == isa_bus &&
		    table[off + 5] < 16) {
			smp_config.isa_gsi[table[off + 5]] = table[off + 7];
			smp_config.isa_flags[table[off + 5]] = *(u16 *)(table + off + 2);
		}
		if (type == 0) {
			if (table[off + 3] & 1)
				add_cpu(table[off + 1]);
			off += 20;
		} else if (type == 2) {
			if (!smp_config.ioapic_phys)
				smp_config.ioapic_phys = *(u32 *)(table + off + 4);
			off += 8;
		} else if (type <= 4) {
			off += 8;
		} else {
			break; /* unknown entry: its length is unknown too */
		}
	}
	smp_config.source = "MP table";
	return smp_config.nr_cpus > 0;
}

static void reset_config(void)
{
	smp_config.nr_cpus = smp_config.described = smp_config.ignored = 0;
	smp_config.ioapic_phys = 0;
	smp_config.ioapic_gsi_base = 0;
	for (unsigned irq = 0; irq < 16; irq++) {
		smp_config.isa_gsi[irq] = irq;
		smp_config.isa_flags[irq] = 0;
	}
}

bool smp_find_config(void)
{
	reset_config();
	if (!find_acpi()) {
		reset_config();
		if (!find_mptable()) {
			smp_config.source = "none";
			return false;
		}
	}
	pr_info("smp: %u CPU(s) described by the %s, local APIC at %#llx, I/O APIC at %#llx\n",
		smp_config.described, smp_config.source, smp_config.lapic_phys,
		smp_config.ioapic_phys);
	if (smp_config.ignored)
		pr_warn("smp: %u CPU(s) described, %u supported (NR_CPUS): %u left out\n",
			smp_config.described, NR_CPUS, smp_config.ignored);
	return true;
}
