/* SPDX-License-Identifier: MIT */
/*
 * Identify a virtio-mmio slot (virtio spec 1.1, 4.2.2 "MMIO Device Register
 * Layout"). The kernel only reports what is there; drivers live in servers.
 */
#ifndef KERNEL_VIRTIO_MMIO_H
#define KERNEL_VIRTIO_MMIO_H

#include <stdint.h>

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
