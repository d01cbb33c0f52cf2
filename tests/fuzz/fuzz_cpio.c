/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the boot archive reader (lib/shared/cpio.c): every entry,
 * then a lookup by name, as the loaders do. */
#include <faultline/cpio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_entry e;
	size_t off = 0;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	for (unsigned n = 0; n < 4096 && cpio_next(copy, size, &off, &e) == 1; n++)
		if ((const char *)e.data < (const char *)copy ||
		    (const char *)e.data + e.size > (const char *)copy + size)
			abort();	/* an entry reaching outside the archive */
	cpio_find(copy, size, "init", &e);
	free(copy);
	return 0;
}
