/* SPDX-License-Identifier: MIT */
#include "vblk.h"

#include <arch/mmio.h>
#include <faultline/errno.h>
#include <faultline/virtio_mmio.h>

#define LEGACY_PAGE_SIZE		4096

/* 2.1 "Device Status Field" */
#define STATUS_ACKNOWLEDGE	1
#define STATUS_DRIVER		2
#define STATUS_DRIVER_OK	4
#define STATUS_FEATURES_OK	8
#define STATUS_FAILED		128

/* 6 "Reserved Feature Bits" and 5.2.3 "Feature bits" (block device) */
#define VIRTIO_F_VERSION_1	32
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_FLUSH	9
#define VBLK_FEATURES_WANTED	((1u << VIRTIO_BLK_F_SEG_MAX) | (1u << VIRTIO_BLK_F_RO) | \
				 (1u << VIRTIO_BLK_F_FLUSH))

/* 5.2.4 "Device configuration layout": offsets in struct virtio_blk_config */
#define VIRTIO_BLK_CFG_CAPACITY	0x00	/* le64 */
#define VIRTIO_BLK_CFG_SEG_MAX	0x0c	/* le32 */

#define VBLK_SPIN_MAX		100000	/* register polls before giving up */

static uint32_t reg_read(const struct vblk *d, unsigned off)
{
	return readl(d->regs + off);
}

static void reg_write(struct vblk *d, unsigned off, uint32_t v)
{
	writel(v, d->regs + off);
}

/* status_set: add @bit to the device status; whether the device kept it
 * (it clears FEATURES_OK when it refuses the features, 3.1.1 step 6). */
static bool status_set(struct vblk *d, uint32_t bit)
{
	reg_write(d, VIRTIO_MMIO_STATUS, reg_read(d, VIRTIO_MMIO_STATUS) | bit);
	return reg_read(d, VIRTIO_MMIO_STATUS) & bit;
}

/* vblk_reset: write 0 to the status (4.2.2: writing 0 resets) and wait until
 * it reads back 0 (2.4.2: the reset is complete then). */
static int vblk_reset(struct vblk *d)
{
	reg_write(d, VIRTIO_MMIO_STATUS, 0);
	for (unsigned i = 0; i < VBLK_SPIN_MAX; i++)
		if (reg_read(d, VIRTIO_MMIO_STATUS) == 0)
			return 0;
	return -ERR_TIMEOUT;
}

/* features_of: the device's 32 feature bits from @sel * 32 on (4.2.2
 * DeviceFeatures, DeviceFeaturesSel). */
static uint32_t features_of(struct vblk *d, uint32_t sel)
{
	reg_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
	return reg_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

/* features_accept: the driver's feature bits @bits from @sel * 32 on. */
static void features_accept(struct vblk *d, uint32_t sel, uint32_t bits)
{
	reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
	reg_write(d, VIRTIO_MMIO_DRIVER_FEATURES, bits);
}

/* vblk_negotiate: 3.1.1 steps 4 to 6: accept SEG_MAX, RO and FLUSH if
 * offered, and VERSION_1 (required of a modern device); a legacy device has
 * no FEATURES_OK step (3.1.2). 0 or -ERR_NOTSUP with @why. */
static int vblk_negotiate(struct vblk *d, const char **why)
{
	uint32_t lo = features_of(d, 0), accept = lo & VBLK_FEATURES_WANTED;

	d->ro = lo & (1u << VIRTIO_BLK_F_RO);
	d->flush = lo & (1u << VIRTIO_BLK_F_FLUSH);
	d->features = accept;
	features_accept(d, 0, accept);
	if (d->version == 1)
		return 0;
	*why = "the device lacks VIRTIO_F_VERSION_1";
	if (!(features_of(d, 1) & (1u << (VIRTIO_F_VERSION_1 - 32))))
		return -ERR_NOTSUP;
	features_accept(d, 1, 1u << (VIRTIO_F_VERSION_1 - 32));
	*why = "the device refused the features (FEATURES_OK cleared)";
	return status_set(d, STATUS_FEATURES_OK) ? 0 : -ERR_NOTSUP;
}

/* queue_size: the entries to use: the largest power of two no larger than
 * @max (QueueNumMax) and VIRTQ_MAX; 0 if @max is 0 (no queue). */
static unsigned queue_size(uint32_t max)
{
	unsigned size = VIRTQ_MAX;

	while (size > max)
		size >>= 1;
	return size;
}

/* reg_write64: a 64-bit value as two 32-bit registers, low half at @off. */
static void reg_write64(struct vblk *d, unsigned off, uint64_t v)
{
	reg_write(d, off, (uint32_t)v);
	reg_write(d, off + 4, (uint32_t)(v >> 32));
}

/* vblk_queue_setup: queue 0 in @qmem (physical @qpa): 4.2.3.2 "Virtqueue
 * Configuration" for version 2, 4.2.4 (QueueAlign, QueuePFN) for version 1.
 * 0 or a negative error with @why. */
static int vblk_queue_setup(struct vblk *d, void *qmem, uint64_t qpa, const char **why)
{
	unsigned size;

	reg_write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
	*why = "queue 0 is already in use";
	if (reg_read(d, d->version == 1 ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY))
		return -ERR_EXIST;
	size = queue_size(reg_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX));
	*why = "queue 0 is too small";
	if (size < 4 || virtq_init(&d->q, size, qmem, qpa))
		return -ERR_NOTSUP;
	reg_write(d, VIRTIO_MMIO_QUEUE_NUM, size);
	if (d->version == 1) {
		reg_write(d, VIRTIO_MMIO_QUEUE_ALIGN, VIRTQ_ALIGN);
		reg_write(d, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(qpa / LEGACY_PAGE_SIZE));
		return 0;
	}
	reg_write64(d, VIRTIO_MMIO_QUEUE_DESC_LOW, d->q.desc_pa);
	reg_write64(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, d->q.avail_pa);
	reg_write64(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, d->q.used_pa);
	reg_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

/* config_read: the 32-bit configuration field at @off. 4.2.2.2: 32-bit
 * fields are read with 32-bit accesses; legacy fields are guest-endian
 * (2.5.3, 5.2.4.1), which is little-endian on RISC-V too. */
static uint32_t config_read(const struct vblk *d, unsigned off)
{
	return reg_read(d, VIRTIO_MMIO_CONFIG + off);
}

/* config_generation: the modern ConfigGeneration (4.2.2); a legacy device
 * has none, and the capacity read twice in a row stands in for it (2.5.4). */
static uint32_t config_generation(const struct vblk *d)
{
	if (d->version == 1)
		return config_read(d, VIRTIO_BLK_CFG_CAPACITY);
	return reg_read(d, VIRTIO_MMIO_CONFIG_GENERATION);
}

/* vblk_read_config: capacity and seg_max. The 64-bit capacity is two 32-bit
 * reads, repeated until the generation is the same before and after (2.5.1);
 * without VIRTIO_BLK_F_SEG_MAX a chain may be as long as the queue (2.7.5). */
static void vblk_read_config(struct vblk *d)
{
	uint32_t gen, lo, hi;

	do {
		gen = config_generation(d);
		lo = config_read(d, VIRTIO_BLK_CFG_CAPACITY);
		hi = config_read(d, VIRTIO_BLK_CFG_CAPACITY + 4);
	} while (gen != config_generation(d));
	d->capacity = (uint64_t)hi << 32 | lo;
	d->seg_max = d->features & (1u << VIRTIO_BLK_F_SEG_MAX)
			     ? config_read(d, VIRTIO_BLK_CFG_SEG_MAX) : d->q.size - 2;
}

int vblk_init(struct vblk *d, volatile void *regs, unsigned version, void *qmem, uint64_t qpa,
	      const char **why)
{
	int err;

	d->regs = regs;
	d->version = version;
	*why = "the device does not reset";
	err = vblk_reset(d);
	if (err)
		return err;
	status_set(d, STATUS_ACKNOWLEDGE);	/* 3.1.1 steps 2 and 3 */
	status_set(d, STATUS_DRIVER);
	if (version == 1)	/* 4.2.4: before any queue is used */
		reg_write(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, LEGACY_PAGE_SIZE);
	err = vblk_negotiate(d, why);
	if (!err)
		err = vblk_queue_setup(d, qmem, qpa, why);
	if (err) {
		status_set(d, STATUS_FAILED);
		return err;
	}
	vblk_read_config(d);
	status_set(d, STATUS_DRIVER_OK);	/* 3.1.1 step 8: the device is live */
	return 0;
}

void vblk_notify(struct vblk *d)
{
	reg_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

uint32_t vblk_irq_ack(struct vblk *d)
{
	uint32_t causes = reg_read(d, VIRTIO_MMIO_INTERRUPT_STATUS);

	reg_write(d, VIRTIO_MMIO_INTERRUPT_ACK, causes);
	return causes;
}
