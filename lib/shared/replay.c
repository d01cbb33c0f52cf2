/* SPDX-License-Identifier: MIT */
/*
 * The reader of a page reference string as wl-replay plays it
 * (<faultline/workload.h>, wl_next_ref). The simulator reads the same bytes
 * with it to follow the client's reads of its file (tools/sim.c), and the
 * fuzzer holds it against the simulator's own reader. Apart from
 * workload.c so that the suite's other clients keep their images as they
 * were (their page counts are in the figures of docs/pager.md).
 */
#include <faultline/workload.h>

bool wl_next_ref(const char *text, uint64_t len, uint64_t *at, uint64_t *page, bool *write,
		 bool *bad, uint64_t pages_max)
{
	while (*at < len) {
		uint64_t i = *at, n = 0;
		bool digits = false;

		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
			i++;
		for (; i < len && text[i] >= '0' && text[i] <= '9' && n < pages_max; i++, digits = true)
			n = n * 10 + (uint64_t)(text[i] - '0');
		if (i < len && text[i] >= '0' && text[i] <= '9')
			n = pages_max;	/* too large: refused below */
		uint64_t gap = i;

		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
			i++;
		*write = i < len && text[i] == 'W' && i > gap;	/* "5W" is not "5 W" */
		if (*write)
			i++;
		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
			i++;
		if (i < len && text[i] == '#')
			while (i < len && text[i] != '\n')
				i++;
		*bad = i < len && text[i] != '\n';
		if (*bad || (*write && !digits) || n >= pages_max) {
			*bad = true;
			return false;
		}
		*at = i + 1;
		if (digits) {
			*page = n;
			return true;
		}
	}
	return false;
}
