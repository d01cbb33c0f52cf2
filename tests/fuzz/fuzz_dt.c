/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the kernel's device-tree reader (kernel/dt.c over libfdt)
 * on any blob whose header claims no more bytes than there are (the firmware
 * hands the kernel a buffer of the tree's own total size).
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_info info;
	struct dt_error err;
	void *fdt;

	if (size < sizeof(struct fdt_header) || fdt_magic(data) != FDT_MAGIC ||
	    fdt_totalsize(data) > size)
		return 0;
	fdt = aligned_alloc(8, (size + 7) & ~(size_t)7);	/* libfdt wants 8-byte alignment */
	memcpy(fdt, data, size);
	dt_parse(fdt, &info, &err);
	free(fdt);
	return 0;
}
