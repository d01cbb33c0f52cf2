/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the policy simulator's reference-string reader
 * (tools/sim.c's read_refs, and the renumbering after it), on any file a
 * user could give `tools/faultline sim`, and against it wl-replay's reader
 * (wl_next_ref, lib/shared/workload.c): a string the simulator takes, with
 * page numbers wl-replay takes, must read the same there, reference for
 * reference (run --replay checks its FILE with the simulator first). sim.c
 * is included whole, its main renamed; it links with the pager core's host
 * build and Clock (servers/pager/main.c), which this target does not run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define main sim_main
#include "sim.c"
#undef main

#include <sys/mman.h>
#include <unistd.h>

static FILE *quiet, *loud;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	loud = stderr;
	quiet = fopen("/dev/null", "w");
	return quiet ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct refs r = { 0 };
	char path[64];
	int fd = memfd_create("refs", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	stderr = quiet;	/* the reader's refusals, one a line: not the fuzzer's log */
	if (read_refs(path, &r) == 0 && r.n) {
		uint64_t at = 0, page, max = 0;
		bool write, bad = false;
		size_t i = 0;

		for (size_t k = 0; k < r.n; k++)
			max = r.page[k] > max ? r.page[k] : max;
		while (max < WL_REPLAY_PAGES_MAX &&
		       wl_next_ref((const char *)data, size, &at, &page, &write, &bad,
				   WL_REPLAY_PAGES_MAX)) {
			if (i >= r.n || page != r.page[i] || write != r.write[i])
				abort();	/* wl-replay reads it otherwise */
			i++;
		}
		if (max < WL_REPLAY_PAGES_MAX && (bad || i != r.n))
			abort();
		refs_number(&r);
	}
	stderr = loud;
	refs_free(&r);
	close(fd);
	return 0;
}
