/* SPDX-License-Identifier: MIT */
/* Frame lists for policies, threaded through the frame records (pager.h). Pure
 * C over pager_frame(): shared by the pager and host builds of policies. */
#include "pager.h"

void frame_list_add_tail(struct frame_list *l, uint64_t pa)
{
	struct frame *f = pager_frame(pa);
	uint32_t pfn = (uint32_t)(pa >> PAGE_SHIFT);

	f->link_next = MEM_NONE;
	f->link_prev = l->tail;
	if (l->tail != MEM_NONE)
		pager_frame((uint64_t)l->tail << PAGE_SHIFT)->link_next = pfn;
	else
		l->head = pfn;
	l->tail = pfn;
	l->count++;
}

void frame_list_remove(struct frame_list *l, uint64_t pa)
{
	struct frame *f = pager_frame(pa);

	if (f->link_prev != MEM_NONE)
		pager_frame((uint64_t)f->link_prev << PAGE_SHIFT)->link_next = f->link_next;
	else
		l->head = f->link_next;
	if (f->link_next != MEM_NONE)
		pager_frame((uint64_t)f->link_next << PAGE_SHIFT)->link_prev = f->link_prev;
	else
		l->tail = f->link_prev;
	f->link_next = f->link_prev = MEM_NONE;
	l->count--;
}

void frame_list_to_tail(struct frame_list *l, uint64_t pa)
{
	frame_list_remove(l, pa);
	frame_list_add_tail(l, pa);
}

uint64_t frame_list_rotate(struct frame_list *l)
{
	uint64_t pa = frame_list_head(l);

	if (pa)
		frame_list_to_tail(l, pa);
	return pa;
}
