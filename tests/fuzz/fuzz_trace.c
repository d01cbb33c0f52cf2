/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the host's trace reader (tools/trace_read.c over
 * lib/shared/trace.c), binary or console-framed, as `trace decode` reads it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace t;
	char err[256];
	unsigned char *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	trace_read(copy, size, &t, err, sizeof(err));
	trace_free(&t);	/* either way */
	free(copy);
	return 0;
}
