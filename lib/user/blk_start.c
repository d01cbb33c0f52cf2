/* SPDX-License-Identifier: MIT */
#include "blk_start.h"

#include <faultline/blk.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/virtio_mmio.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sys.h"

#define BLK_STACK_PAGES	4
#define BLK_VIRTIO_MAX	16	/* virtio slots handed over at most */

int blk_probe(const volatile void *regs)
{
	struct virtio_mmio_id id;
	int err = virtio_mmio_probe(regs, &id);

	if (err)
		return err;
	return id.device_id == VIRTIO_ID_BLOCK ? (int)id.version : -ERR_NOENT;
}

/* virtio_slots: the boot info's virtio device entries, highest address first,
 * into @out (at most BLK_VIRTIO_MAX); how many. Their names are the device
 * tree's node names cut to 15 characters ("virtio_mmio@100"), so only the
 * prefix tells them. */
static unsigned virtio_slots(const struct bootinfo *bi, const struct bootinfo_handle **out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < bi->nhandles && n < BLK_VIRTIO_MAX; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];
		unsigned j;

		if (h->type != HANDLE_DEVICE || strncmp(h->name, "virtio", 6))
			continue;
		for (j = n++; j > 0 && out[j - 1]->base < h->base; j--)	/* insertion sort */
			out[j] = out[j - 1];
		out[j] = h;
	}
	return n;
}

/* irq_of: the interrupt of device entry @dev, or NULL: the kernel lists a
 * device's interrupt right after it (the cut names cannot pair them). */
static const struct bootinfo_handle *irq_of(const struct bootinfo *bi,
					    const struct bootinfo_handle *dev)
{
	const struct bootinfo_handle *next = dev + 1;

	if (next < bi->handles + bi->nhandles && next->type == HANDLE_IRQ &&
	    !strcmp(next->name, dev->name))
		return next;
	return NULL;
}

/* any_disk: whether one of the @n slots holds a block device (each mapped in
 * turn at @scratch of task @self). */
static bool any_disk(const struct bootinfo_handle *const *slots, unsigned n, long self,
		     unsigned long scratch)
{
	bool found = false;

	for (unsigned i = 0; i < n && !found; i++) {
		if (sys_vm_map(self, scratch, slots[i]->handle, 0, VM_R))
			continue;
		found = blk_probe((const volatile void *)scratch) > 0;
		sys_vm_unmap(self, scratch);
	}
	return found;
}

/* call: one call to blk with @label, words @w0..@w3 and @handle (or -1);
 * 0 or a negative error, the reply in @m. */
static long call(long ep, unsigned long label, long handle, unsigned long w0, unsigned long w1,
		 unsigned long w2, unsigned long w3, struct msg *m)
{
	*m = (struct msg){ 0, label, { w0, w1, w2, w3 }, handle, 0 };
	ipc(SYS_CALL, ep, m);
	if (m->status)
		return m->status;
	return m->label == BLK_ERROR ? (long)m->w[0] : 0;
}

/* give_ram: BLK_RAM_FRAMES consecutive frames of @fp to blk on @ep, for its
 * queue; 0 or an error. Precondition: @fp's pmem handle is listed in @bi. */
static long give_ram(long ep, const struct bootinfo *bi, struct frame_pool *fp)
{
	const struct bootinfo_handle *ram = NULL;
	struct msg m;
	long first = -1;

	for (unsigned i = 0; i < bi->nhandles; i++)
		if (bi->handles[i].type == HANDLE_PMEM && (long)bi->handles[i].handle == fp->pmem)
			ram = &bi->handles[i];
	for (unsigned i = 0; i < BLK_RAM_FRAMES; i++) {
		long off = frame_take(fp);	/* in order: consecutive offsets */

		if (off < 0 || !ram)
			return -ERR_NOMEM;
		first = first < 0 ? off : first;
	}
	return call(ep, BLK_GIVE, fp->pmem, BLK_GIVE_RAM, (unsigned long)first, BLK_RAM_FRAMES,
		    ram->base, &m);
}

/* give_all: every resource to blk on @ep: its task, the @n @slots with their
 * interrupts, queue frames from @fp. 0 or the first error. */
static long give_all(long ep, long task, const struct bootinfo *bi,
		     const struct bootinfo_handle *const *slots, unsigned n, struct frame_pool *fp)
{
	struct msg m;
	long err = call(ep, BLK_GIVE, task, BLK_GIVE_SELF, 0, 0, 0, &m);

	for (unsigned i = 0; !err && i < n; i++) {
		const struct bootinfo_handle *irq = irq_of(bi, slots[i]);

		err = call(ep, BLK_GIVE, (long)slots[i]->handle, BLK_GIVE_DEVICE, slots[i]->base,
			   slots[i]->size, 0, &m);
		if (!err && irq)
			err = call(ep, BLK_GIVE, (long)irq->handle, BLK_GIVE_IRQ, irq->base, 0, 0,
				   &m);
	}
	return err ? err : give_ram(ep, bi, fp);
}

long blk_start(const struct bootinfo *bi, const void *archive, size_t archive_len,
	       struct frame_pool *fp, long self, unsigned long scratch, long *task)
{
	const struct bootinfo_handle *slots[BLK_VIRTIO_MAX];
	unsigned n = virtio_slots(bi, slots);
	struct loaded blk = { -1, -1, 0 };
	const char *why;
	struct msg m;
	long ep, err;

	if (!any_disk(slots, n, self, scratch))
		return -ERR_NOENT;
	ep = sys_endpoint_create();
	if (ep < 0)
		return ep;
	err = load_program(archive, archive_len, "blk", fp, self, scratch, BLK_STACK_PAGES, 0,
			   ep, &blk, &why);
	if (err) {
		printf("blk_start: cannot load blk: %s (%s)\n", why, err_name((int)err));
		if (blk.task >= 0)
			sys_task_destroy(blk.task);
		sys_handle_close(ep);
		return err;
	}
	sys_thread_start(blk.thread);
	err = give_all(ep, blk.task, bi, slots, n, fp);
	if (!err)
		err = call(ep, BLK_READY, IPC_NO_HANDLE, 0, 0, 0, 0, &m);
	if (!err && m.handle < 0)
		err = -ERR_INVAL;	/* no endpoint of its own came with the answer */
	if (!err) {
		sys_handle_close(ep);	/* blk serves on its own endpoint now */
		if (task)
			*task = blk.task;
		else
			sys_handle_close(blk.task);
		return m.handle;
	}
	printf("blk_start: blk did not start (%s)\n", err_name((int)err));
	sys_task_destroy(blk.task);
	sys_handle_close(ep);
	return err;
}
