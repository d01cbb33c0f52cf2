/* SPDX-License-Identifier: MIT */
/*
 * Starting the block driver (servers/blk, docs/blk.md) from a root task: init
 * for the pager's swap disk, test-blk for the device tests. Also the one
 * virtio-mmio identity check that both the starter and the driver use.
 */
#ifndef USER_BLK_START_H
#define USER_BLK_START_H

#include <stddef.h>

#include "loader.h"

/*
 * blk_probe: the virtio-mmio version (1 legacy, 2 modern) of the slot whose
 * registers are mapped at @regs if it holds a block device; -ERR_NOTSUP if it
 * is not a virtio-mmio device of version 1 or 2, -ERR_NOENT if it holds no
 * device or another kind (virtio 1.1, 4.2.3.1.1: check the magic value and the
 * version before anything else, then the device id).
 */
int blk_probe(const volatile void *regs);

/*
 * blk_start: load "blk" from the @archive_len-byte boot archive mapped at
 * @archive (frames and page tables from @fp, copying through the free page
 * @scratch of the caller, whose task handle is @self), start it and hand it
 * its resources: its task handle, every virtio-mmio device of the boot info
 * @bi with its interrupt (highest address first, so that QEMU's first -device
 * is the one it takes), BLK_RAM_FRAMES frames of @fp for its queue; then
 * BLK_READY. Returns blk's own endpoint (BLK_READY's answer: it dies with
 * blk), and in *@task (if not NULL; else it is closed) blk's task handle, or a negative
 * error: -ERR_NOENT when no slot holds a block device (checked before
 * anything is loaded, so a machine without a disk spends no memory on blk;
 * callers take it as "no swap"), or the error of the step that failed (the
 * blk task is then destroyed). Prints one line on failures other than
 * -ERR_NOENT. Precondition: @fp's pmem handle is listed in @bi.
 */
long blk_start(const struct bootinfo *bi, const void *archive, size_t archive_len,
	       struct frame_pool *fp, long self, unsigned long scratch, long *task);

#endif
