/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the ELF checks (lib/shared/elf.c) the kernel, init and the
 * pager run on every program they load. */
#include <faultline/elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	const char *why;
	void *copy = malloc(size ? size : 1);	/* exactly @size bytes: ASan sees overreads */

	memcpy(copy, data, size);
	elf_check(copy, size, 1ul << 47, &img, &why);
	free(copy);
	return 0;
}
