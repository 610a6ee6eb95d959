/* ata.h - what the IDE driver (arch/x86/ata.c) tells beyond the block
 * interface: which transfer method a disk uses, for tests and reports.
 * Probing and the block devices themselves are in blkdev.h (ata_init).
 */
#ifndef HL_ATA_H
#define HL_ATA_H

#include "blkdev.h"

/* True if the ATA disk b moves its data by bus-master DMA (the PIIX's BMIDE
 * registers were found and libata.dma=0 was not given); false for PIO. */
bool ata_uses_dma(const struct block_device *b);
/* READ/WRITE DMA commands completed without error since boot, all disks. */
unsigned long ata_dma_commands(void);
/* Pages that went through the bounce buffer (above 4 GB) in rw_pages' DMA. */
unsigned long ata_dma_bounced(void);
/* /proc/diskstats, Linux 6.1's format, for the ATA disks (0 or -errno). */
int ata_proc_init(void);

#endif
