/* swapops.h - between swap entries (swap.h's swp_entry_t: type and offset)
 * and the non-present PTEs that hold them (pgtable_pae.h's layout). */
#ifndef HL_SWAPOPS_H
#define HL_SWAPOPS_H

#include "pgtable.h"
#include "swap.h"

_Static_assert(SWP_TYPE_BITS == SWP_TYPE_BITS_PTE, "a PTE holds every swap type");

/* The PTE that says "this page is in slot entry". */
static inline pte_t swp_entry_to_pte(swp_entry_t entry)
{
	return __swp_pte(swp_type(entry), swp_offset(entry));
}
/* The slot a swap PTE names (is_swap_pte must be true). */
static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	return swp_entry(__pte_swp_type(pte), __pte_swp_offset(pte));
}

#endif
