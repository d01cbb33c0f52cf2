/* SPDX-License-Identifier: MIT */
/*
 * The driver's side of one split virtqueue (virtio 1.2, 2.7 "Split
 * Virtqueues"), in memory shared with the device:
 *
 *   offset 0                 descriptor table  16 * size bytes  (2.7.5)
 *   offset 16 * size         available ring    6 + 2 * size     (2.7.6)
 *   offset align(.., 4096)   used ring         6 + 8 * size     (2.7.8)
 *
 * This is the legacy layout (2.7.2 "Legacy Interfaces: A Note on Virtqueue
 * Layout", with QueueAlign 4096); it also meets the modern alignment rules
 * (16, 2 and 4 bytes), so one layout serves both transports. With 256
 * entries it fills VIRTQ_FRAMES pages. Fields are little-endian (legacy:
 * guest-endian, 2.7.3, which on RISC-V is the same).
 */
#ifndef BLK_VIRTQ_H
#define BLK_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_MAX	256	/* entries at most (a power of two, 2.7) */
#define VIRTQ_ALIGN	4096	/* the used ring's alignment (legacy QueueAlign) */
#define VIRTQ_FRAMES	3	/* pages the layout needs for VIRTQ_MAX entries */

/* 2.7.5 "The Virtqueue Descriptor Table" */
struct virtq_desc {
	uint64_t addr;		/* guest-physical address of the buffer */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VIRTQ_DESC_F_NEXT	1	/* the chain goes on at @next */
#define VIRTQ_DESC_F_WRITE	2	/* the device writes the buffer (else reads it) */

/* 2.7.6 "The Virtqueue Available Ring" (flags 0: interrupts wanted) */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

/* 2.7.8 "The Virtqueue Used Ring" */
struct virtq_used_elem {
	uint32_t id;		/* head of the chain the device is done with */
	uint32_t len;		/* bytes written; ignored (legacy devices: 2.7.8.1) */
};
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* One buffer of a chain: physical address, length, and who writes it. */
struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

struct virtq {
	unsigned size;			/* entries, a power of two */
	struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t free[VIRTQ_MAX];	/* unused descriptors, a stack */
	unsigned nfree;
	bool busy[VIRTQ_MAX];		/* heads of chains the device holds */
	uint16_t avail_idx;		/* the next avail->idx to publish */
	uint16_t used_seen;		/* used entries already taken */
};

/* virtq_bytes: the bytes of the layout for @size entries. */
unsigned long virtq_bytes(unsigned size);

/*
 * virtq_init: an empty queue of @size entries (a power of two, 2..VIRTQ_MAX)
 * laid out in the zeroed memory @mem (virtq_bytes long, physical address @pa,
 * page aligned). 0 or -ERR_INVAL.
 */
int virtq_init(struct virtq *q, unsigned size, void *mem, uint64_t pa);

/*
 * virtq_add: put a chain of the @n buffers @b on the available ring (seen by
 * the device after the next virtq_publish). Returns its head descriptor, or
 * -ERR_NOSPC when fewer than @n (>= 1) descriptors are free (nothing changes).
 */
int virtq_add(struct virtq *q, const struct virtq_buf *b, unsigned n);

/* virtq_publish: make every chain added so far visible to the device (a
 * release fence, then avail->idx: 2.7.13.3 "Updating idx"). The caller then
 * notifies the device. */
void virtq_publish(struct virtq *q);

/*
 * virtq_pop: the head of the next chain the device has used (2.7.14
 * "Receiving Used Buffers From The Device"), its descriptors free again;
 * -ERR_AGAIN if there is none, -ERR_IO if the device named a descriptor that
 * is not the head of a chain it holds (the entry is skipped).
 */
int virtq_pop(struct virtq *q);

#endif
