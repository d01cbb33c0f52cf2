/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the boot-argument parser (kernel/bootargs.c) on any
 * command line QEMU's -append could pass. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootargs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_args args;
	char why[96];
	char *line = malloc(size + 1);

	memcpy(line, data, size);
	line[size] = '\0';
	if (bootargs_parse(line, &args, why, sizeof(why)) != 0 && !memchr(why, '\0', sizeof(why)))
		abort();	/* a refusal must say why, in bounds */
	free(line);
	return 0;
}
