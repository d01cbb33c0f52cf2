/* SPDX-License-Identifier: MIT */
/* Identifying a virtio-mmio slot: the kernel and the block driver's starter. */
#include <arch/mmio.h>
#include <faultline/errno.h>
#include <faultline/virtio_mmio.h>

int virtio_mmio_probe(const volatile void *base, struct virtio_mmio_id *id)
{
	const volatile uint8_t *regs = base;

	if (readl(regs + VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MAGIC)
		return -ERR_NOTSUP;
	id->version = readl(regs + VIRTIO_MMIO_VERSION);
	id->device_id = readl(regs + VIRTIO_MMIO_DEVICE_ID);
	id->vendor_id = readl(regs + VIRTIO_MMIO_VENDOR_ID);
	if (id->version != 1 && id->version != 2)
		return -ERR_NOTSUP;
	return id->device_id ? 0 : -ERR_NOENT;
}

const char *virtio_device_name(uint32_t device_id)
{
	/* virtio spec 1.1, section 5 "Device Types" */
	static const char *const names[] = {
		[1] = "network", [2] = "block", [3] = "console", [4] = "entropy",
		[5] = "balloon", [8] = "scsi", [9] = "9p", [16] = "gpu", [18] = "input",
		[19] = "vsock",
	};

	if (device_id < sizeof(names) / sizeof(names[0]) && names[device_id])
		return names[device_id];
	return "unknown";
}
