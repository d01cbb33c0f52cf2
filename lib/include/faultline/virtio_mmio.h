/* SPDX-License-Identifier: MIT */
/*
 * virtio over MMIO: the register layout and the identification of a slot,
 * shared by the kernel (which only reports what is there) and the block
 * driver's starter and server (lib/user/blk_start.c, servers/blk).
 */
#ifndef FAULTLINE_VIRTIO_MMIO_H
#define FAULTLINE_VIRTIO_MMIO_H

#include <stdint.h>

/* virtio 1.1, 4.2.2 "MMIO Device Register Layout" (offsets from the slot's base) */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080	/* + 4: high half */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090	/* the available ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0	/* the used ring */
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100	/* the device-specific configuration */

/* 4.2.4 "Legacy interface": registers of version 1 only */
#define VIRTIO_MMIO_GUEST_PAGE_SIZE	0x028
#define VIRTIO_MMIO_QUEUE_ALIGN		0x03c
#define VIRTIO_MMIO_QUEUE_PFN		0x040

#define VIRTIO_MAGIC		0x74726976	/* "virt", little-endian */
#define VIRTIO_ID_BLOCK		2		/* 5 "Device Types" */

struct virtio_mmio_id {
	uint32_t version;	/* 1 legacy, 2 modern */
	uint32_t device_id;	/* 0 = empty slot */
	uint32_t vendor_id;
};

/*
 * virtio_mmio_probe: read the identification registers at @base. Returns 0 for
 * a device, -ERR_NOENT for an empty slot (device id 0), -ERR_NOTSUP if the
 * magic value or the version is wrong.
 */
int virtio_mmio_probe(const volatile void *base, struct virtio_mmio_id *id);

/* virtio_device_name: "block", "network", ... for a device id (spec 5). */
const char *virtio_device_name(uint32_t device_id);

#endif
