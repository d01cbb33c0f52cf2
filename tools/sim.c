/* SPDX-License-Identifier: MIT */
/*
 * sim: the page-replacement simulator (tools/faultline sim, docs/pager.md).
 * meson builds it once per pager server that chooses victims, linked with
 * that server's own policy file and lib/pager/list.c (tools/meson.build):
 * this file plays the pager library's part for the policy's hooks.
 *
 *	sim-pager-NAME --frames N [--scan N] [--opt] FILE
 *
 * FILE is a page reference string: one reference a line, a decimal page
 * number and then W for a write; blank lines and # comments are allowed
 * (`tools/faultline trace decode --format refs` writes one). The machine has
 * N frames, each with the record the policy threads its lists through
 * (pager_frame) and the A and D bits of the page it holds. A reference to a
 * resident page sets A, and D for W. A miss is a fault, served the way the
 * pager serves one: the fault is counted (pager_now), every scan_faults-th
 * fault runs periodic_scan first, the page gets a free frame or the one
 * choose_victim names (on_evict, on_release; a write-back if it was dirty),
 * on_map, and then the reference sets A (and D). pager_page_clean writes a
 * dirty page back (counted) and clears D. --opt puts Belady's OPT in the
 * policy's place. Prints "faults: N", "evictions: N" and "write-backs: N".
 *
 * Exit status: 0; 64 for a bad option or a malformed line ("sim: FILE:LINE:
 * ..." and nothing else); 66 when FILE cannot be read; 70 when the policy
 * names no frame in use as its victim.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pager.h>

#define EXIT_USAGE	64	/* sysexits.h: EX_USAGE, EX_NOINPUT, EX_SOFTWARE */
#define EXIT_NOINPUT	66
#define EXIT_SOFTWARE	70

#define BASE_PFN	0x80000u	/* frame i is physical page BASE_PFN + i */
#define FRAMES_MAX	(1u << 24)
#define NONE		UINT32_MAX
#define NEVER		SIZE_MAX	/* OPT: a page not referenced again */

/* A reference string, its pages also numbered densely in page-number order. */
struct refs {
	size_t n, cap;
	uint64_t *page;
	bool *write;
	uint32_t *id;		/* the rank of the reference's page among the pages */
	size_t *next;		/* OPT: the next reference to the same page, or NEVER */
	uint32_t npages;
};

/* The simulated memory and its counts (one machine a run). */
static struct {
	uint32_t nframes, used;
	struct frame *rec;	/* the records the policy sees */
	bool *a, *d;		/* the MMU's bits for the page each frame holds */
	uint32_t *holds;	/* frame -> page id */
	uint32_t *where;	/* page id -> frame, or NONE */
	size_t *next_use;	/* OPT: frame -> next reference to its page */
	unsigned long faults, evictions, write_backs;
} m;

static const struct client sim_client = { .used = true, .id = 1, .name = "sim" };

/* usage: the command line, to @f. */
static void usage(FILE *f)
{
	fprintf(f, "usage: sim-pager-NAME --frames N [--scan N] [--opt] FILE\n"
		   "  --frames N  frames of memory (1..%u)\n"
		   "  --scan N    call periodic_scan every N faults (default: the policy's)\n"
		   "  --opt       Belady's OPT instead of the linked policy (%s)\n",
		FRAMES_MAX, pager_policy.name);
}

/* xalloc: @n zeroed elements of @size bytes, or exit 70. */
static void *xalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "sim: out of memory\n");
		exit(EXIT_SOFTWARE);
	}
	return p;
}

/* parse_count: @s as a decimal number in [@min, @max] into *@v; false if not. */
static bool parse_count(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v >= min && *v <= max;
}

/* frame_of: the frame index of physical address @pa, or NONE. */
static uint32_t frame_of(uint64_t pa)
{
	uint64_t i = (pa >> PAGE_SHIFT) - BASE_PFN;

	return (pa & (PAGE_SIZE - 1)) || i >= m.nframes ? NONE : (uint32_t)i;
}

/* pa_of: the physical address of frame index @frame. */
static uint64_t pa_of(uint32_t frame)
{
	return (uint64_t)(BASE_PFN + frame) << PAGE_SHIFT;
}

/* The pager library's functions a policy calls, with pager.h's contracts. */

/* pager_frame: the record of frame @pa, or NULL if it is not a frame here. */
struct frame *pager_frame(uint64_t pa)
{
	uint32_t i = frame_of(pa);

	return i == NONE ? NULL : &m.rec[i];
}

/* pager_page_accessed: the A bit of the page in frame @pa, cleared if @clear. */
bool pager_page_accessed(uint64_t pa, bool clear)
{
	uint32_t i = frame_of(pa);
	bool a = i != NONE && i < m.used && m.a[i];

	if (a && clear)
		m.a[i] = false;
	return a;
}

/* pager_page_dirty: the D bit of the page in frame @pa. */
bool pager_page_dirty(uint64_t pa)
{
	uint32_t i = frame_of(pa);

	return i != NONE && i < m.used && m.d[i];
}

/* pager_page_clean: write the page in frame @pa back if it is dirty (counted,
 * D cleared); true if there was a write. */
bool pager_page_clean(uint64_t pa)
{
	uint32_t i = frame_of(pa);

	if (i == NONE || i >= m.used || !m.d[i])
		return false;
	m.d[i] = false;
	m.write_backs++;
	return true;
}

/* pager_now: the faults so far, the current one included. */
unsigned long pager_now(void)
{
	return m.faults;
}

/* parse_line: one line of a reference string, comment cut off: 1 with the
 * reference in *@page and *@write, 0 for a line with none, -1 when malformed
 * (the word at fault in *@bad, the reason in *@why). */
static int parse_line(char *line, uint64_t *page, bool *write, const char **bad,
		      const char **why)
{
	static const char *const sep = " \t\r\n";
	char *tok, *end, *save;

	line[strcspn(line, "#")] = '\0';
	tok = strtok_r(line, sep, &save);
	if (!tok)
		return 0;
	errno = 0;
	*page = strtoull(tok, &end, 10);
	*bad = tok;
	*why = "not a page number (a decimal number)";
	if (*tok < '0' || *tok > '9' || *end)
		return -1;
	*why = "page number too large";
	if (errno)
		return -1;
	tok = strtok_r(NULL, sep, &save);
	*write = tok && !strcmp(tok, "W");
	*bad = tok;
	*why = "only W (a write) may follow the page number";
	if (tok && !*write)
		return -1;
	*bad = strtok_r(NULL, sep, &save);
	*why = "nothing may follow W";
	return *bad ? -1 : 1;
}

/* refs_add: append a reference to @r. */
static void refs_add(struct refs *r, uint64_t page, bool write)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->page = realloc(r->page, r->cap * sizeof(*r->page));
		r->write = realloc(r->write, r->cap * sizeof(*r->write));
		if (!r->page || !r->write) {
			fprintf(stderr, "sim: out of memory\n");
			exit(EXIT_SOFTWARE);
		}
	}
	r->page[r->n] = page;
	r->write[r->n++] = write;
}

/* read_refs: the reference string in @path into @r; 0, or an exit status
 * after saying what is wrong. */
static int read_refs(const char *path, struct refs *r)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t len;
	int status = 0;

	if (!f) {
		fprintf(stderr, "sim: %s: %s\n", path, strerror(errno));
		return EXIT_NOINPUT;
	}
	while (!status && (len = getline(&line, &cap, f)) >= 0) {
		uint64_t page;
		bool write;
		const char *bad = "\\0", *why = "a NUL byte in the line";
		int got = -1;

		if (strlen(line) == (size_t)len)
			got = parse_line(line, &page, &write, &bad, &why);

		lineno++;
		if (got < 0) {
			fprintf(stderr, "sim: %s:%lu: '%s': %s\n", path, lineno, bad, why);
			status = EXIT_USAGE;
		} else if (got) {
			refs_add(r, page, write);
		}
	}
	free(line);
	fclose(f);
	return status;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* refs_number: give each page its rank among the distinct pages (so a lower
 * id is a lower page number) and each reference the next one to its page. */
static void refs_number(struct refs *r)
{
	uint64_t *sorted = xalloc(r->n, sizeof(*sorted));
	size_t *last;

	if (r->n)
		memcpy(sorted, r->page, r->n * sizeof(*sorted));
	qsort(sorted, r->n, sizeof(*sorted), cmp_u64);
	for (size_t i = 0; i < r->n; i++)
		if (!i || sorted[i] != sorted[r->npages - 1])
			sorted[r->npages++] = sorted[i];
	r->id = xalloc(r->n, sizeof(*r->id));
	r->next = xalloc(r->n, sizeof(*r->next));
	last = xalloc(r->npages, sizeof(*last));
	for (size_t i = 0; i < r->n; i++)
		r->id[i] = (uint32_t)((uint64_t *)bsearch(&r->page[i], sorted, r->npages,
							    sizeof(*sorted), cmp_u64) - sorted);
	for (size_t i = r->n; i-- > 0;) {
		r->next[i] = last[r->id[i]] ? last[r->id[i]] - 1 : NEVER;
		last[r->id[i]] = i + 1;
	}
	free(last);
	free(sorted);
}

/* refs_free: give back what @r holds. */
static void refs_free(struct refs *r)
{
	free(r->page);
	free(r->write);
	free(r->id);
	free(r->next);
}

/* opt_victim: Belady's OPT: the frame whose page is next referenced farthest
 * ahead; among pages never referenced again, the lowest page number. */
static uint64_t opt_victim(void)
{
	uint32_t v = 0;

	for (uint32_t i = 1; i < m.used; i++)
		if (m.next_use[i] > m.next_use[v] ||
		    (m.next_use[i] == m.next_use[v] && m.holds[i] < m.holds[v]))
			v = i;
	return pa_of(v);
}

/* evict: free a frame for the fault at hand, chosen by OPT (@opt) or the
 * policy; its index. Exits 70 if the policy names no frame in use. */
static uint32_t evict(bool opt)
{
	uint64_t pa = opt ? opt_victim() : pager_policy.choose_victim();
	uint32_t i = frame_of(pa);

	if (i == NONE || i >= m.used) {
		fprintf(stderr, "sim: %s chose 0x%llx as its victim, not one of the %u frames "
				"in use\n", pager_policy.name, (unsigned long long)pa, m.used);
		exit(EXIT_SOFTWARE);
	}
	if (!opt)
		pager_policy_evicted(&pager_policy, pa, &m.rec[i]);
	if (m.d[i])
		m.write_backs++;
	m.where[m.holds[i]] = NONE;
	m.evictions++;
	return i;
}

/* fault: serve the miss of reference @k of @r (@scan: periodic_scan every so
 * many faults, 0 never); returns the frame that now holds its page. */
static uint32_t fault(const struct refs *r, size_t k, bool opt, unsigned long scan)
{
	uint32_t i;

	m.faults++;
	if (scan && m.faults % scan == 0)
		pager_policy.periodic_scan();
	i = m.used < m.nframes ? m.used++ : evict(opt);
	m.rec[i] = (struct frame){ .owner = 1, .kind = FRAME_DATA, .vpage = (uint32_t)r->page[k],
				   .link_next = MEM_NONE, .link_prev = MEM_NONE };
	m.a[i] = m.d[i] = false;
	m.holds[i] = r->id[k];
	m.where[r->id[k]] = i;
	if (!opt && pager_policy.on_map)
		pager_policy.on_map(&sim_client, r->page[k] << PAGE_SHIFT, pa_of(i), &m.rec[i], 0);
	return i;
}

/* simulate: play @r through @nframes frames. */
static void simulate(const struct refs *r, uint32_t nframes, bool opt, unsigned long scan)
{
	m.nframes = nframes;
	m.rec = xalloc(nframes, sizeof(*m.rec));
	m.a = xalloc(nframes, sizeof(*m.a));
	m.d = xalloc(nframes, sizeof(*m.d));
	m.holds = xalloc(nframes, sizeof(*m.holds));
	m.next_use = xalloc(nframes, sizeof(*m.next_use));
	m.where = xalloc(r->npages, sizeof(*m.where));
	memset(m.where, 0xff, r->npages * sizeof(*m.where));
	m.faults = m.evictions = m.write_backs = 0;
	for (size_t k = 0; k < r->n; k++) {
		uint32_t i = m.where[r->id[k]];

		if (i == NONE)
			i = fault(r, k, opt, scan);
		m.a[i] = true;
		m.d[i] |= r->write[k];
		m.next_use[i] = r->next[k];
	}
}

/* machine_free: give back the simulated memory. */
static void machine_free(void)
{
	free(m.rec);
	free(m.a);
	free(m.d);
	free(m.holds);
	free(m.next_use);
	free(m.where);
}

/* bad_usage: report a usage error, @what (then @arg quoted, if any), and exit 64. */
static void bad_usage(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "sim: %s '%s'\n", what, arg);
	else
		fprintf(stderr, "sim: %s\n", what);
	usage(stderr);
	exit(EXIT_USAGE);
}

/* Options. */
struct args {
	unsigned long frames, scan;	/* scan 0: the policy's own */
	bool opt;
	const char *path;
};

/* parse_args: the command line into @a; exits 0 after --help, 64 when wrong. */
static void parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool frames = !strcmp(o, "--frames");

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			exit(0);
		} else if (frames || !strcmp(o, "--scan")) {
			if (++i == argc || !parse_count(argv[i], 1, FRAMES_MAX,
							frames ? &a->frames : &a->scan)) {
				fprintf(stderr, "sim: %s takes a number from 1 to %u, not '%s'\n",
					o, FRAMES_MAX, i < argc ? argv[i] : "");
				usage(stderr);
				exit(EXIT_USAGE);
			}
		} else if (!strcmp(o, "--opt")) {
			a->opt = true;
		} else if (o[0] == '-' && o[1]) {
			bad_usage("unknown option", o);
		} else if (a->path) {
			bad_usage("one reference string at a time; also got", o);
		} else {
			a->path = o;
		}
	}
	if (!a->frames)
		bad_usage("how many frames? (--frames N)", NULL);
	if (!a->path)
		bad_usage("which reference string? (FILE)", NULL);
	if (!a->opt && !pager_policy.choose_victim)
		bad_usage("this policy chooses no victims: only --opt can run", NULL);
}

/* scan_interval: the faults from one periodic_scan to the next: --scan, else
 * the policy's scan_faults (0: PAGER_SCAN_FAULTS, as in the pager); 0 when
 * nothing scans (OPT, or a policy without periodic_scan). */
static unsigned long scan_interval(const struct args *a)
{
	if (a->opt || !pager_policy.periodic_scan)
		return 0;
	if (a->scan)
		return a->scan;
	return pager_scan_interval(&pager_policy);
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct refs r = { 0 };
	int status;

	parse_args(argc, argv, &a);
	status = read_refs(a.path, &r);
	if (status) {
		refs_free(&r);
		return status;
	}
	refs_number(&r);
	simulate(&r, (uint32_t)a.frames, a.opt, scan_interval(&a));
	printf("faults: %lu\nevictions: %lu\nwrite-backs: %lu\n", m.faults, m.evictions,
	       m.write_backs);
	machine_free();
	refs_free(&r);
	return 0;
}
