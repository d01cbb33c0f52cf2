/* SPDX-License-Identifier: MIT */
/*
 * test-ramhole (init=test-ramhole on dts/ram-hole-device.dts): RAM in two
 * banks with a device between them. The kernel copied from any frame between
 * the first bank's start and the last one's end, so a task could make it read
 * a device page that lies in the hole (SYS_DEBUG_WRITE; on real hardware a
 * load access fault in the kernel, a panic). It must refuse it as it refuses
 * any device page, and still copy from RAM of both banks.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <string.h>

#define CHECK_PROG "test-ramhole"
#include "check.h"
#include "frames.h"
#include "sys.h"

#define SELF 0
#define VIEW 0x50000000ul

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	const struct bootinfo_handle *dev = NULL;
	bool beyond = false;

	frames_from_bootinfo();
	for (unsigned i = 0; i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		beyond |= h->type == HANDLE_PMEM && h->base >= 0x84000000ul;
		if (h->type == HANDLE_DEVICE && h->base == 0x83000000ul)
			dev = h;
	}
	check("RAM beyond the hole", beyond, 1);
	check("the device between them", dev != NULL, 1);
	if (!dev)
		return check_done();
	for (unsigned i = 0; i < 4; i++)
		check("our page-table pool", sys_vm_pool_add(SELF, ram->handle, frame(4096)), 0);
	check("map the device page", sys_vm_map(SELF, VIEW, dev->handle, 0, VM_R), 0);
	check("debug write from it is refused", sys_debug_write((const void *)VIEW, 8), -ERR_RANGE);
	check("unmap it", sys_vm_unmap(SELF, VIEW), 0);
	check("map a RAM page", sys_vm_map(SELF, VIEW, ram->handle, frame(4096), VM_R | VM_W), 0);
	memcpy((void *)VIEW, "test-ramhole: RAM copies\n", 25);
	check("debug write from RAM", sys_debug_write((const void *)VIEW, 25), 25);
	return check_done();
}
