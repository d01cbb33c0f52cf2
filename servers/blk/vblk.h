/* SPDX-License-Identifier: MIT */
/*
 * A virtio-blk device on virtio-mmio, legacy (version 1) or modern (version
 * 2): initialization, its configuration, the doorbell and the interrupt
 * status. References are to the virtio 1.2 specification (OASIS, 2022):
 * 3.1 "Device Initialization", 4.2 "Virtio Over MMIO", 5.2 "Block Device".
 */
#ifndef BLK_VBLK_H
#define BLK_VBLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtq.h"

/* 5.2.6 "Device Operation": the request header the device reads first. */
struct vblk_hdr {
	uint32_t type;		/* VIRTIO_BLK_T_*: BLK_OP_* of <faultline/blk.h> */
	uint32_t reserved;
	uint64_t sector;
};

/* 5.2.6: the status byte the device writes last */
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

struct vblk {
	volatile uint8_t *regs;	/* the slot's registers, mapped */
	unsigned version;	/* 1 legacy, 2 modern */
	uint64_t capacity;	/* 512-byte sectors */
	uint32_t seg_max;	/* data buffers per request the device takes */
	bool ro;		/* VIRTIO_BLK_F_RO offered: writes would fail */
	bool flush;		/* VIRTIO_BLK_F_FLUSH negotiated */
	uint32_t features;	/* the accepted feature bits 0..31 */
	struct virtq q;		/* request queue 0 */
};

/*
 * vblk_init: reset the device at @regs (a block device of virtio-mmio
 * @version, as blk_probe found it), negotiate features, set up queue 0 in the
 * VIRTQ_FRAMES zeroed pages at @qmem (physical @qpa) and read the
 * configuration; the device is then live (DRIVER_OK). 0, or a negative error
 * with @why set (the device is left FAILED).
 */
int vblk_init(struct vblk *d, volatile void *regs, unsigned version, void *qmem, uint64_t qpa,
	      const char **why);

/* vblk_notify: tell the device that queue 0 has new buffers (4.2.3.3). */
void vblk_notify(struct vblk *d);

/* vblk_irq_ack: read and acknowledge the device's interrupt causes (4.2.3.4);
 * returns them (bit 0: used buffers, bit 1: configuration change). */
uint32_t vblk_irq_ack(struct vblk *d);

#endif
