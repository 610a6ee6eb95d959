# Batch gdb session run by tests/gdb/run-helpers.sh. The kernel boots with
# "meminfo buddyinfo zoneinfo" and prints its own reports; we stop once it
# reaches the monitor (after mm init and the reports), run every hl-* helper,
# then corrupt lists and page tables with `set var` (restoring each before
# the next) to prove the helpers name what is broken. Each output is framed
# by "@@@ BEGIN tag | command" / "@@@ END tag" (tests/gdb/testcmds.py) for
# tests/gdb/check_helpers.py, which compares it with the kernel's own report
# in the serial log.
set pagination off
set confirm off
# gdb must not answer reads from its caches: memory changes under it here.
set code-cache off
set stack-cache off

hbreak monitor_run
continue
info symbol $pc
delete

source tests/gdb/testcmds.py

# ---- every command, on the kernel as it is
hl-test-value pc $pc
hl-test-run help hl-help
python gdb.write("@@@ BEGIN complete | complete hl-\n" + gdb.execute("complete hl-", to_string=True) + "@@@ END complete\n")
hl-test-run cmdline hl-cmdline
hl-test-run e820 hl-e820
hl-test-run dmesg hl-dmesg
hl-test-run meminfo hl-meminfo
hl-test-run buddyinfo hl-buddyinfo
hl-test-run zoneinfo hl-zoneinfo
hl-test-run freelist hl-freelist
hl-test-run page-reserved hl-page 0
hl-test-run page-free hl-page 0x40000
hl-test-run page-inside hl-page 0x40001
hl-test-run page-beyond hl-page max_pfn
hl-test-value max_pfn max_pfn

# a 2 MB direct-map page: mem_map (lowmem, past the kernel's 4 KB region)
hl-test-value lowmem_va &mem_map[0x40000]
hl-test-run walk-lowmem hl-pagewalk &mem_map[0x40000]
hl-test-phys walk-lowmem &mem_map[0x40000] (unsigned)&mem_map[0x40000]-0xc0000000
hl-test-gpa walk-lowmem &mem_map[0x40000]
# kernel text: 4 KB, read-only, executable
hl-test-value text_va &start_kernel
hl-test-run walk-text hl-pagewalk &start_kernel
hl-test-phys walk-text &start_kernel (unsigned)&start_kernel-0xc0000000
hl-test-gpa walk-text &start_kernel
hl-test-run walk-null hl-pagewalk 0
hl-test-gpa walk-null 0
hl-test-value vmalloc_start vmalloc_start
hl-test-run walk-vmalloc hl-pagewalk vmalloc_start
hl-test-gpa walk-vmalloc vmalloc_start
hl-test-run kmap hl-kmap-atomic
hl-test-run pkmap hl-pkmap
hl-test-run threads hl-threads
hl-test-run slabinfo hl-slabinfo
hl-test-run vmallocinfo hl-vmallocinfo

# ---- last_caller as a symbol: a page_ext table made by hand, whose entry
# for pfn 0x40000 is pkmap_stats.maps (saved and put back)
set var $saved_maps = pkmap_stats.maps
set var page_ext_table = (struct page_ext *)((char *)&pkmap_stats.maps - 0x40000 * sizeof(struct page_ext))
set var page_ext_table[0x40000].last_caller = (void *)((unsigned)&show_zoneinfo + 0x10)
hl-test-run page-caller hl-page 0x40000
set var page_ext_table = 0
set var pkmap_stats.maps = $saved_maps

# ---- a kmap_atomic mapping made by hand: CPU 0's slot 0 maps pfn 0x40000
set $kva = 0xfffff000 - (FIX_KMAP_BEGIN + 1) * 4096
set $kpte = (unsigned long long *)fixmap_pte_page + 510 - FIX_KMAP_BEGIN
set $kpte_saved = *$kpte
set var *$kpte = 0x40000163ULL
set var kmap_ctrl[0].idx = 1
set var kmap_ctrl[0].addr[1] = (void *)$kva
hl-test-value kmap_va $kva
hl-test-run kmap-depth1 hl-kmap-atomic
hl-test-run walk-kmap hl-pagewalk $kva
hl-test-phys walk-kmap $kva 0x40000000
hl-test-gpa walk-kmap $kva
# popped without clearing the PTE: a stale mapping above the top
set var kmap_ctrl[0].idx = 0
hl-test-run kmap-stale hl-kmap-atomic
set var *$kpte = $kpte_saved
set var kmap_ctrl[0].addr[1] = 0
hl-test-run kmap-restored hl-kmap-atomic

# ---- broken lists. Normal's free_area[10] has many blocks: n1 -> n2 -> n3
set $head = &zones[ZONE_NORMAL].free_area[10].free_list
set $n1 = $head->next
set $n2 = $n1->next
set $n3 = $n2->next
hl-test-value n1 $n1
hl-test-value n2 $n2
hl-test-value n3 $n3
hl-test-value n3_pfn ((char *)$n3 - (char *)&mem_map[0].lru) / sizeof(struct page)

# 1. a broken back link: n3->prev skips n2
set var $n3->prev = $n1
hl-test-run corrupt-prev hl-buddyinfo
set var $n3->prev = $n2
hl-test-run restored-prev hl-buddyinfo

# 2. a loop: n2->next goes back to n1 (n1->prev is still the head)
set var $n2->next = $n1
hl-test-run corrupt-loop hl-buddyinfo
set var $n2->next = $n3

# 3. a count too small: the walk is bounded by nr_free + 1
set $hfa = &zones[ZONE_HIGHMEM].free_area[10]
set $nr_saved = $hfa->nr_free
set var $hfa->nr_free = 5
hl-test-run corrupt-count hl-buddyinfo
set var $hfa->nr_free = $nr_saved

# 4. a next link that is no struct page at all
set var $n2->next = (struct list_head *)0x1000
hl-test-run corrupt-next hl-freelist Normal
set var $n2->next = $n3

# 5. an empty per-CPU list whose head's prev points elsewhere
set $pcp = &zones[ZONE_DMA].pcp[0].lists[0]
set var $pcp->prev = $n1
hl-test-run corrupt-pcp hl-zoneinfo
set var $pcp->prev = $pcp

# 6. slab and vmalloc lists, when the kernel has them: the newest cache's
# (empty) partial list gets a bad back link; the purge list too; the busy
# tree's root points at nothing. (Python: a missing symbol must not end
# the script.)
python
hl_test_guarded("slab_caches", [
    "set $cache = (struct kmem_cache *)((char *)slab_caches.next - (unsigned)&((struct kmem_cache *)0)->list)",
    "hl-test-value cache $cache",
    "set var $cache->partial.prev = &$cache->full",
    "hl-test-run corrupt-slab hl-slabinfo",
    "set var $cache->partial.prev = $cache->partial.next",
    "hl-test-run restored-slab hl-slabinfo"])
hl_test_guarded("vmap_busy", [
    "set $busy = vmap_busy",
    "set var vmap_busy = (struct va_node *)0x1000",
    "hl-test-run corrupt-vmap-tree hl-vmallocinfo",
    "set var vmap_busy = $busy",
    "set $purge_prev = vmap_purge_list.prev",
    "set var vmap_purge_list.prev = $n1",
    "hl-test-run corrupt-vmap-purge hl-vmallocinfo",
    "set var vmap_purge_list.prev = $purge_prev",
    "hl-test-run restored-vmap hl-vmallocinfo"])
end

hl-test-run final hl-freelist
kill
quit
