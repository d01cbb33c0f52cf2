/* SPDX-License-Identifier: MIT */
#include "virtq.h"

#include <faultline/errno.h>

/*
 * Ordering. The device reads and writes the rings like another hart would
 * (QEMU's virtio memory is coherent), so the SMP fences order them, as
 * Linux's virtio does with weak barriers: a release fence before publishing
 * avail->idx (the device must see the descriptors and ring entry first), an
 * acquire fence after reading used->idx (the entries are read after it). The
 * doorbell (QueueNotify) is a device register write, ordered after these
 * memory writes by writel's own fence.
 */

unsigned long virtq_bytes(unsigned size)
{
	unsigned long avail_end = 16ul * size + 6 + 2ul * size;
	unsigned long used = (avail_end + VIRTQ_ALIGN - 1) & ~(VIRTQ_ALIGN - 1ul);

	return used + 6 + 8ul * size;
}

int virtq_init(struct virtq *q, unsigned size, void *mem, uint64_t pa)
{
	unsigned long used_off;

	if (size < 2 || size > VIRTQ_MAX || (size & (size - 1)))
		return -ERR_INVAL;
	used_off = virtq_bytes(size) - 6 - 8ul * size;
	q->size = size;
	q->desc = mem;
	q->avail = (volatile struct virtq_avail *)((char *)mem + 16ul * size);
	q->used = (volatile struct virtq_used *)((char *)mem + used_off);
	q->desc_pa = pa;
	q->avail_pa = pa + 16ul * size;
	q->used_pa = pa + used_off;
	q->nfree = 0;
	for (unsigned i = size; i-- > 0;) {
		q->free[q->nfree++] = (uint16_t)i;
		q->busy[i] = false;
	}
	q->avail_idx = 0;	/* the memory is zeroed: both rings start empty */
	q->used_seen = 0;
	return 0;
}

int virtq_add(struct virtq *q, const struct virtq_buf *b, unsigned n)
{
	uint16_t head = 0, prev = 0;

	if (n == 0 || n > q->nfree)
		return -ERR_NOSPC;
	for (unsigned i = 0; i < n; i++) {
		uint16_t d = q->free[--q->nfree];

		q->desc[d] = (struct virtq_desc){ b[i].pa, b[i].len,
						  b[i].device_writes ? VIRTQ_DESC_F_WRITE : 0, 0 };
		if (i == 0) {
			head = d;
		} else {
			q->desc[prev].flags |= VIRTQ_DESC_F_NEXT;
			q->desc[prev].next = d;
		}
		prev = d;
	}
	q->busy[head] = true;
	q->avail->ring[q->avail_idx & (q->size - 1)] = head;
	q->avail_idx++;
	return head;
}

void virtq_publish(struct virtq *q)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail->idx = q->avail_idx;
}

/* virtq_free_chain: the descriptors of the chain at @head are unused again. */
static void virtq_free_chain(struct virtq *q, uint16_t head)
{
	uint16_t d = head;

	q->busy[head] = false;
	for (unsigned n = 0; n < q->size; n++) {
		q->free[q->nfree++] = d;
		if (!(q->desc[d].flags & VIRTQ_DESC_F_NEXT))
			return;
		d = q->desc[d].next;
	}
}

int virtq_pop(struct virtq *q)
{
	uint32_t id;

	if (q->used_seen == q->used->idx)
		return -ERR_AGAIN;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	id = q->used->ring[q->used_seen & (q->size - 1)].id;
	q->used_seen++;
	if (id >= q->size || !q->busy[id])
		return -ERR_IO;
	virtq_free_chain(q, (uint16_t)id);
	return (int)id;
}
