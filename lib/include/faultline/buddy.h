/* SPDX-License-Identifier: MIT */
/*
 * The buddy allocator (as in Linux's mm/page_alloc.c and FreeBSD's
 * vm_phys.c): blocks of 2^order pages, orders 0..BUDDY_ORDERS-1 (4 KiB to
 * 4 MiB, Linux's MAX_ORDER 11). A block's buddy is the block whose page number
 * differs in bit `order`: pfn ^ (1 << order). Freeing merges a block with its
 * free buddy, repeatedly; allocating splits the smallest larger block.
 *
 * Example: freeing pfn 0x80004 (order 2) when 0x80000 (order 2) is free merges
 * them into 0x80000 (order 3), and so on while buddies are free.
 *
 * The caller provides one struct buddy_frame per page of the zone (the pager
 * embeds it in its frame table). Every operation is O(1) per order: a bitmap of
 * non-empty free lists finds the order to split. Shared by the pager (target)
 * and the host unit tests and simulator.
 */
#ifndef FAULTLINE_BUDDY_H
#define FAULTLINE_BUDDY_H

#include <stdbool.h>
#include <stdint.h>

#define BUDDY_ORDERS	11
#define BUDDY_NONE	UINT32_MAX

/* Per-page record. Only the first page of a free block is marked. */
struct buddy_frame {
	uint32_t next, prev;	/* free-list links (page indices), BUDDY_NONE at the ends */
	uint8_t order;		/* free block head: its order */
	uint8_t free;		/* 1: this page heads a free block */
};

struct buddy {
	struct buddy_frame *frames;	/* npages records, frames[i] for page base_pfn + i */
	uint64_t base_pfn;
	uint32_t npages;
	uint32_t head[BUDDY_ORDERS];	/* free-list heads (page indices) */
	uint32_t count[BUDDY_ORDERS];	/* free blocks per order */
	uint32_t nonempty;		/* bit k: head[k] is not empty */
	uint64_t free_pages;
};

/* buddy_init: an empty allocator for pages [@base_pfn, @base_pfn + @npages)
 * with the records in @frames (all pages start allocated). */
void buddy_init(struct buddy *b, struct buddy_frame *frames, uint64_t base_pfn, uint32_t npages);

/* buddy_add_range: free the pages [@pfn, @pfn + @n) (inside the zone, not free
 * already), as the largest aligned blocks that fit. */
void buddy_add_range(struct buddy *b, uint64_t pfn, uint64_t n);

/* buddy_alloc: a block of 2^@order pages aligned to its size; its first page
 * number, or 0 when none is free (page 0 is never in a zone) or @order is too large. */
uint64_t buddy_alloc(struct buddy *b, unsigned order);

/* buddy_free: give back the block of 2^@order pages at @pfn (from buddy_alloc
 * or inside the zone and allocated). */
void buddy_free(struct buddy *b, uint64_t pfn, unsigned order);

/*
 * buddy_check: verify every invariant: list links, heads marked free with their
 * order, blocks aligned and inside the zone, no two free blocks overlapping, no
 * free block whose buddy is free at the same order (it should have merged),
 * counts and free_pages matching the lists. Returns 0 or a negative number
 * naming the first broken invariant (see buddy.c).
 */
int buddy_check(const struct buddy *b);

#endif
