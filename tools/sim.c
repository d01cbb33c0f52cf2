/* SPDX-License-Identifier: MIT */
/*
 * sim: the page-replacement simulator (tools/faultline sim, docs/pager.md).
 * It runs the pager's real core (lib/pager: the fault path, reclaim, swap,
 * the frame allocator) and the real policy file over the host backend
 * (tools/simhost.c), which simulates the kernel's page tables with their A
 * and D bits and a disk. meson builds it once per pager server that chooses
 * victims, linked with that server's policy file (tools/meson.build).
 *
 *	sim-pager-NAME --frames N [--scan N] [--opt | --lru] [--stats] FILE | --workload NAME
 *
 * FILE is a page reference string: one reference a line, a decimal page
 * number and then W for a write; blank lines and # comments are allowed
 * (`tools/faultline trace decode --format refs` writes one). The pages are
 * numbered densely (in page-number order) and laid out in one anonymous
 * region of one client. Textbook mode: exactly N data frames are free, the
 * watermarks are 1 and 1 and nothing is read ahead, so every miss with no
 * free frame evicts one victim (written to swap first if dirty). A reference
 * to a mapped page sets its A bit (and D for W) in the simulated page table;
 * a miss is a page fault the core serves as on Faultline, after which the
 * reference sets the bits. Every reference checks the page's first word: a
 * read sees what the last write left (a stamp of the reference's index), so
 * a page lost or mixed up in swap fails the run. --opt and --lru put
 * Belady's OPT or an exact LRU (the simulator sees every reference) in the
 * policy's place, as policies of the same core. Prints "faults: N",
 * "evictions: N" and "write-backs: N" (the core's counters).
 *
 * --free N runs the pager's own tuning for N frames instead, and --mem SIZE
 * the N a live workload run with --mem SIZE gets (frames_for); with --image
 * ELF the client is that program (a wl-NAME, or wl-replay for FILE) doing
 * what it does before its first reference (it wires its image, the top of
 * its stack and FILE, sizes a workload by the frames then free, maps its
 * region) and each page sits at its own page number, so that the counters
 * line equals the live one (docs/pager.md, "Live and simulated").
 *
 * Exit status: 0; 64 for a bad option or a malformed line ("sim: FILE:LINE:
 * ..." and nothing else); 66 when FILE cannot be read; 70 when the core
 * cannot serve the string (more distinct pages than swap holds, a client
 * killed, a word read back wrong).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <faultline/elf.h>
#include <faultline/pager_proto.h>
#include <faultline/workload.h>

#include "simhost.h"

#define EXIT_USAGE	64	/* sysexits.h: EX_USAGE, EX_NOINPUT, EX_SOFTWARE */
#define EXIT_NOINPUT	66
#define EXIT_SOFTWARE	70

#define FRAMES_MAX	(1u << 24)
#define PAGES_MAX	(1u << 16)	/* distinct pages: what swap holds with room */
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

/* Where the client's region of the reference string starts, and where in
 * it each page is: page number id (the dense numbering) or, with --image,
 * at its own page number as the live client lays it out (read-ahead reads
 * neighbouring pages, so the layout counts): off_of[id], and id_at[] back. */
static uint64_t sim_base = MAP_BASE;
static uint64_t *off_of;
static uint32_t *id_at;

/* A mix of workloads (--workload A+B...): one client each, their references
 * taken in turn; a mix's page is its client's index << MIX_SHIFT | its page
 * number, cl_of[id] the client of page @id, its id_at[] from id_start[]. */
#define MIX_MAX		4
#define MIX_SHIFT	40
static struct client *sim_clients[MIX_MAX];
static unsigned nclients = 1;
static uint8_t *cl_of;
static uint64_t id_start[MIX_MAX];

/* page_off: where in its client's region page @id is. */
static inline uint64_t page_off(uint32_t id)
{
	return off_of ? off_of[id] : id;
}

/* page_client: the client page @id is of. */
static inline struct client *page_client(uint32_t id)
{
	return sim_clients[cl_of ? cl_of[id] : 0];
}

struct args {
	unsigned long frames, scan;	/* scan 0: the policy's own */
	unsigned long free;		/* --free N: the pager's own tuning, N frames free */
	bool opt, lru, stats, check;
	const char *path;
	const char *workload;	/* --workload NAME instead of a file */
	const char *image;	/* --image ELF: the client program whose pages it wires */
	unsigned long disk;	/* --disk-pages N (0: room for the string) */
	unsigned skew;		/* --skew S: zipf's, in hundredths (0: its default) */
	unsigned long wl_frames;	/* --wl-frames N: size the workload for N, not --frames */
};

/* usage: the command line, to @f. */
static void usage(FILE *f)
{
	fprintf(f, "usage: sim-pager-NAME --frames N | --free N | --mem SIZE [--image ELF] "
		   "[--swap SIZE]\n"
		   "                      [--scan N] [--opt | --lru] [--stats] FILE | --workload NAME "
		   "[--skew S]\n"
		   "  --frames N  frames of memory (1..%u), textbook mode: one victim per miss\n"
		   "  --free N    the pager's own tuning with N data frames free, as its boot line\n"
		   "              'pager: free: N data pages' says: watermarks, batches,\n"
		   "              read-ahead, swap cache; adds the pager's counters line\n"
		   "  --scan N    call periodic_scan every N faults (default: the policy's)\n"
		   "  --opt       Belady's OPT instead of the linked policy (%s)\n"
		   "  --lru       an exact LRU instead of the linked policy\n"
		   "  --stats     how long reading and simulating took, to stderr\n"
		   "  --check     only read FILE: say whether it is a reference string\n"
		   "  --workload NAME  the suite's generator (seq, loop, zipf, hotscan, phases,\n"
		   "              uniform) sized for N frames, seed 1, instead of FILE\n"
		   "  --image ELF with --free: the client is the program ELF (a wl-NAME, or\n"
		   "              wl-replay for FILE) and does what it does before its first\n"
		   "              reference: wires its image and stack (and FILE), sizes the\n"
		   "              workload by the frames then free, maps its region\n"
		   "  --wl-frames N  size the --workload for N frames instead (a miss-ratio\n"
		   "              curve: one string, several memory sizes)\n"
		   "  --skew S    with --workload zipf: rank r drawn about r^-S of the time\n"
		   "              (0.1 to 3, default 1)\n"
		   "  --disk-pages N  the swap disk's size in pages (default: room for the string)\n"
		   "  --mem SIZE  --free N with the N frames a live workload run with --mem SIZE\n"
		   "              gets (7/8 of the pages less 2048: boot argument frames=)\n"
		   "  --swap SIZE the swap disk's size, e.g. 256M (as run --swap)\n"
		   "  --frames-for SIZE  print that N and exit\n"
		   "  --describe  print 'evicts' (or 'keeps': no victims) and the policy's name\n",
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

/* parse_size: @s as a size like 32M or 2G (1M..1024G) in bytes into *@v;
 * false if not. */
static bool parse_size(const char *s, uint64_t *v)
{
	unsigned long n;
	size_t len = strlen(s);
	char unit = len ? s[len - 1] : 0, digits[16];

	if (len < 2 || len > sizeof(digits) || (unit != 'M' && unit != 'G'))
		return false;
	memcpy(digits, s, len - 1);
	digits[len - 1] = '\0';
	if (!parse_count(digits, 1, unit == 'G' ? 1024 : 1024 * 1024, &n))
		return false;
	*v = (uint64_t)n << (unit == 'G' ? 30 : 20);
	return true;
}

/* parse_skew: @s, a decimal such as 0.8 or 1.25, in hundredths into *@v
 * (WL_SKEW_MIN..WL_SKEW_MAX); false if not. */
static bool parse_skew(const char *s, unsigned *v)
{
	unsigned n = 0, frac = 0, digits = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9' && n < 1000; s++)
		n = n * 10 + (unsigned)(*s - '0');
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && digits < 2; s++, digits++)
			frac = frac * 10 + (unsigned)(*s - '0');
		if (!digits)
			return false;
	}
	*v = n * 100 + (digits == 1 ? frac * 10 : frac);
	return !*s && n < 1000 && *v >= WL_SKEW_MIN && *v <= WL_SKEW_MAX;
}

/*
 * frames_for: the data frames a workload run gets on a machine with
 * @ram_bytes of RAM: 7/8 of its pages less 2,048. The boot argument frames=
 * holds the live pager to exactly that many (tools/faultline run --workload
 * and --replay pass it, asking --frames-for), so that a run is the same
 * whatever the size of the kernel, its servers and the boot archive, which
 * take less than the rest (at least 500 frames to spare at 24 MiB, the
 * tightest; docs/pager.md), and --mem SIZE here runs the same frames.
 */
static uint64_t frames_for(uint64_t ram_bytes)
{
	uint64_t pages = ram_bytes >> PAGE_SHIFT;

	return pages * 7 / 8 > 2048 + 16 ? pages * 7 / 8 - 2048 : 16;
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

/* mix_ok: whether @name is a workload or a mix of 2 to 4 ("zipf+loop"). */
static bool mix_ok(const char *name)
{
	char names[64];
	unsigned n = 0;

	if (strlen(name) >= sizeof(names) || !*name || name[strlen(name) - 1] == '+')
		return false;
	snprintf(names, sizeof(names), "%s", name);
	for (char *save, *k = strtok_r(names, "+", &save); k; k = strtok_r(NULL, "+", &save))
		if (wl_kind_of(k) == WL_KINDS || ++n > MIX_MAX)
			return false;
	return n > 0 && !strstr(name, "++") && name[0] != '+';
}

/* parse_args: the command line into @a; exits 0 after --help, 64 when wrong. */
static void parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool frames = !strcmp(o, "--frames"), free = !strcmp(o, "--free");

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			exit(0);
		} else if (frames || free || !strcmp(o, "--scan")) {
			if (++i == argc || !parse_count(argv[i], 1, FRAMES_MAX,
							frames ? &a->frames : free ? &a->free
							: &a->scan)) {
				fprintf(stderr, "sim: %s takes a number from 1 to %u, not '%s'\n",
					o, FRAMES_MAX, i < argc ? argv[i] : "");
				usage(stderr);
				exit(EXIT_USAGE);
			}
		} else if (!strcmp(o, "--opt")) {
			a->opt = true;
		} else if (!strcmp(o, "--lru")) {
			a->lru = true;
		} else if (!strcmp(o, "--stats")) {
			a->stats = true;
		} else if (!strcmp(o, "--check")) {
			a->check = true;
		} else if (!strcmp(o, "--mem") || !strcmp(o, "--frames-for")) {
			uint64_t bytes;

			if (++i == argc || !parse_size(argv[i], &bytes))
				bad_usage("a size like 32M or 2G (1M to 1024G) after", o);
			if (o[2] == 'f') {	/* --frames-for: what run's frames= is */
				printf("%llu\n", (unsigned long long)frames_for(bytes));
				exit(0);
			}
			if (frames_for(bytes) > FRAMES_MAX)
				bad_usage("a size up to 64G after", o);
			a->free = frames_for(bytes);
		} else if (!strcmp(o, "--swap")) {
			uint64_t bytes;

			if (++i == argc || !parse_size(argv[i], &bytes))
				bad_usage("a size like 256M or 1G after", o);
			a->disk = bytes >> PAGE_SHIFT;
		} else if (!strcmp(o, "--describe")) {	/* for tools: does it evict? */
			printf("%s\t%s\n", pager_policy.choose_victim ? "evicts" : "keeps",
			       pager_policy.name);
			exit(0);
		} else if (!strcmp(o, "--wl-frames")) {
			if (++i == argc || !parse_count(argv[i], 1, FRAMES_MAX, &a->wl_frames))
				bad_usage("--wl-frames takes a number from 1 to 16777216, not",
					  i < argc ? argv[i] : "");
		} else if (!strcmp(o, "--skew")) {
			if (++i == argc || !parse_skew(argv[i], &a->skew))
				bad_usage("--skew takes a number from 0.1 to 3 (at most two decimals), "
					  "not", i < argc ? argv[i] : "");
		} else if (!strcmp(o, "--image")) {
			if (++i == argc)
				bad_usage("--image needs a program (an ELF file)", NULL);
			a->image = argv[i];
		} else if (!strcmp(o, "--disk-pages")) {
			if (++i == argc || !parse_count(argv[i], 1, FRAMES_MAX, &a->disk))
				bad_usage("--disk-pages takes a number from 1 to 16777216, not",
					  i < argc ? argv[i] : "");
		} else if (!strcmp(o, "--workload")) {
			if (++i == argc || !mix_ok(argv[i]))
				bad_usage("--workload takes seq, loop, zipf, hotscan, phases or uniform, "
					  "or 2 to 4 of them joined by '+', not", i < argc ? argv[i] : "");
			a->workload = argv[i];
		} else if (o[0] == '-' && o[1]) {
			bad_usage("unknown option", o);
		} else if (a->path) {
			bad_usage("one reference string at a time; also got", o);
		} else {
			a->path = o;
		}
	}
	if (a->frames && a->free)
		bad_usage("--frames (textbook) or --free (the pager's tuning), not both", NULL);
	if (a->free) {
		a->frames = a->free;
		a->free = 1;	/* from here on: a flag */
	}
	if (!a->frames && !a->check)
		bad_usage("how many frames? (--frames N)", NULL);
	if (!a->path && !a->workload)
		bad_usage("which reference string? (FILE or --workload NAME)", NULL);
	if (a->path && a->workload)
		bad_usage("a FILE or --workload, not both; also got", a->path);
	if (a->skew && (!a->workload || !strstr(a->workload, "zipf")))
		bad_usage("--skew is zipf's: give --workload zipf", NULL);
	if (a->wl_frames && (!a->workload || a->image))
		bad_usage("--wl-frames sizes a --workload (without --image, which sizes it as live)",
			  NULL);
	if (a->image && a->workload && strchr(a->workload, '+'))
		bad_usage("--image runs one program: a mix runs without it (live, its clients "
			  "interleave by timing)", NULL);
	if (a->image && !a->free)
		bad_usage("--image runs with the pager's own tuning: give --free N", NULL);
	if (a->opt && a->lru)
		bad_usage("--opt or --lru, not both", NULL);
	if (!a->opt && !a->lru && !pager_policy.choose_victim)
		bad_usage("this policy chooses no victims: only --opt or --lru can run", NULL);
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

/* A page number -> first-seen index table (open addressing, grown at half full). */
struct seen {
	uint64_t *page;
	uint32_t *index;	/* UINT32_MAX: empty */
	size_t size, used;
};

/* seen_slot: where @page is, or would go, in @t. */
static size_t seen_slot(const struct seen *t, uint64_t page)
{
	size_t i = (size_t)((page * 0x9e3779b97f4a7c15ull) >> 20) & (t->size - 1);

	while (t->index[i] != UINT32_MAX && t->page[i] != page)
		i = (i + 1) & (t->size - 1);
	return i;
}

/* seen_grow: @t with twice the room (or its first 1024). */
static void seen_grow(struct seen *t)
{
	struct seen n = { NULL, NULL, t->size ? 2 * t->size : 1024, t->used };

	n.page = xalloc(n.size, sizeof(*n.page));
	n.index = xalloc(n.size, sizeof(*n.index));
	memset(n.index, 0xff, n.size * sizeof(*n.index));
	for (size_t i = 0; i < t->size; i++) {
		if (t->index[i] != UINT32_MAX) {
			size_t j = seen_slot(&n, t->page[i]);

			n.page[j] = t->page[i];
			n.index[j] = t->index[i];
		}
	}
	free(t->page);
	free(t->index);
	*t = n;
}

struct ranked {
	uint64_t page;
	uint32_t first;	/* first-seen index */
};

static int cmp_ranked(const void *a, const void *b)
{
	uint64_t x = ((const struct ranked *)a)->page, y = ((const struct ranked *)b)->page;

	return (x > y) - (x < y);
}

/* refs_number: give each page its rank among the distinct pages (so a lower
 * id is a lower page number) and each reference the next one to its page:
 * a hash table finds the distinct pages, and only they are sorted. */
static void refs_number(struct refs *r)
{
	struct seen t = { 0 };
	struct ranked *pages;
	uint32_t *rank;
	size_t *last;

	r->id = xalloc(r->n, sizeof(*r->id));
	r->next = xalloc(r->n, sizeof(*r->next));
	seen_grow(&t);
	for (size_t i = 0; i < r->n; i++) {
		size_t j = seen_slot(&t, r->page[i]);

		if (t.index[j] == UINT32_MAX) {
			t.page[j] = r->page[i];
			t.index[j] = (uint32_t)t.used++;
			if (2 * t.used > t.size) {
				seen_grow(&t);
				j = seen_slot(&t, r->page[i]);
			}
		}
		r->id[i] = t.index[j];	/* first-seen for now */
	}
	r->npages = (uint32_t)t.used;
	pages = xalloc(r->npages, sizeof(*pages));
	for (size_t i = 0; i < t.size; i++)
		if (t.index[i] != UINT32_MAX)
			pages[t.index[i]] = (struct ranked){ t.page[i], t.index[i] };
	qsort(pages, r->npages, sizeof(*pages), cmp_ranked);
	rank = xalloc(r->npages, sizeof(*rank));
	for (uint32_t k = 0; k < r->npages; k++)
		rank[pages[k].first] = k;
	last = xalloc(r->npages, sizeof(*last));
	for (size_t i = r->n; i-- > 0;) {
		r->id[i] = rank[r->id[i]];
		r->next[i] = last[r->id[i]] ? last[r->id[i]] - 1 : NEVER;
		last[r->id[i]] = i + 1;
	}
	free(last);
	free(rank);
	free(pages);
	free(t.page);
	free(t.index);
}

/* refs_free: give back what @r holds. */
static void refs_free(struct refs *r)
{
	free(r->page);
	free(r->write);
	free(r->id);
	free(r->next);
}

/*
 * The yardsticks, as policies of the same core: the simulator knows every
 * reference, which no real policy does. Both keep the mapped 4 KiB frames on
 * a list; LRU moves a frame to the tail at each reference to its page and
 * evicts the head; OPT evicts the frame whose page is used again last
 * (next_use, kept by the reference loop; of pages never used again, the
 * lowest), from a heap.
 */
static struct frame_list yard = FRAME_LIST_INIT;
static size_t *next_use;	/* page id -> index of its next reference (OPT) */

static void yard_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			unsigned order)
{
	(void)c;
	(void)va;
	(void)fr;
	if (order == 0)
		frame_list_add_tail(&yard, pa);
}

static void yard_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order == 0)
		frame_list_remove(&yard, pa);
}

static uint64_t lru_choose_victim(void)
{
	return frame_list_head(&yard);
}

/*
 * OPT's candidates: a max-heap of (next use, page) entries, ordered by next
 * use and then by the lower page. The reference loop pushes an entry at every
 * reference to a mapped page; an entry is stale once its page was referenced
 * again (next_use moved on) or is no longer in that frame, and is dropped
 * when it comes to the top. When stale entries pile up (more than four per
 * frame) the heap is rebuilt from the frames on the list.
 */
struct opt_ent {
	size_t key;	/* the page's next use */
	uint32_t id;
	uint64_t pa;
};
static struct opt_ent *heap;
static size_t nheap, capheap;

static bool opt_before(const struct opt_ent *a, const struct opt_ent *b)
{
	return a->key != b->key ? a->key > b->key : a->id < b->id;
}

static void opt_push(size_t key, uint32_t id, uint64_t pa)
{
	size_t i = nheap++;

	if (nheap > capheap) {
		capheap = capheap ? 2 * capheap : 1024;
		heap = realloc(heap, capheap * sizeof(*heap));
		if (!heap) {
			fprintf(stderr, "sim: out of memory\n");
			exit(EXIT_SOFTWARE);
		}
	}
	for (; i && opt_before(&(struct opt_ent){ key, id, pa }, &heap[(i - 1) / 2]); i = (i - 1) / 2)
		heap[i] = heap[(i - 1) / 2];
	heap[i] = (struct opt_ent){ key, id, pa };
}

static struct opt_ent opt_pop(void)
{
	struct opt_ent top = heap[0], last = heap[--nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= nheap)
			break;
		if (c + 1 < nheap && opt_before(&heap[c + 1], &heap[c]))
			c++;
		if (!opt_before(&heap[c], &last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (nheap)
		heap[i] = last;
	return top;
}

/* opt_valid: whether @e still names its page's frame and next use. */
static bool opt_valid(const struct opt_ent *e)
{
	const struct frame *f = pager_frame(e->pa);

	return f && f->kind == FRAME_DATA && f->owner == page_client(e->id)->id &&
	       f->vpage == (sim_base >> PAGE_SHIFT) + page_off(e->id) && next_use[e->id] == e->key;
}

/* opt_note: page @id (frame @pa) was referenced; its next use is next_use[id]. */
static void opt_note(uint32_t id, uint64_t pa)
{
	if (nheap > 4 * (size_t)yard.count + 64) {	/* rebuild from the frames */
		nheap = 0;
		for (uint64_t f = frame_list_head(&yard); f;) {
			const struct frame *fr = pager_frame(f);
			uint32_t fid = fr->vpage - (sim_base >> PAGE_SHIFT);
			unsigned k = 0;

			while (k + 1 < nclients && sim_clients[k]->id != fr->owner)
				k++;
			fid = id_at ? id_at[id_start[k] + fid] : fid;

			opt_push(next_use[fid], fid, f);
			f = fr->link_next == MEM_NONE ? 0 : (uint64_t)fr->link_next << PAGE_SHIFT;
		}
	}
	opt_push(next_use[id], id, pa);
}

static uint64_t opt_choose_victim(void)
{
	while (nheap) {
		struct opt_ent e = opt_pop();

		if (opt_valid(&e))
			return e.pa;
	}
	return frame_list_head(&yard);	/* (every mapped page has an entry) */
}

static const struct pager_policy lru_policy = {
	.name = "LRU (exact, the simulator's yardstick)",
	.on_map = yard_on_map,
	.on_release = yard_on_release,
	.choose_victim = lru_choose_victim,
};

static const struct pager_policy opt_policy = {
	.name = "OPT (Belady, the simulator's yardstick)",
	.on_map = yard_on_map,
	.on_release = yard_on_release,
	.choose_victim = opt_choose_victim,
};

/* fail: the core could not serve the string: say why, exit 70. */
static void fail(const char *why, size_t i)
{
	fprintf(stderr, "sim: reference %zu: %s\n", i + 1, why);
	exit(EXIT_SOFTWARE);
}

/* machine: RAM, a disk of @disk_pages pages and the core set up with
 * @frames data frames free, in textbook mode (@textbook) or with the pager's
 * own tuning (the watermarks it computes for that many frames, read-ahead),
 * as a live pager with frames=@frames sets itself up. */
static void machine(uint32_t frames, uint64_t disk_pages, bool textbook)
{
	/* room for the frames, then for what mem_setup and swap_setup take of
	 * it: 1/16 for page tables, the frame records, the swap slot table,
	 * the history of evicted pages (at most a 4 MiB block) */
	uint64_t slots = disk_pages < 8ull * frames ? disk_pages : 8ull * frames;
	uint64_t base = (uint64_t)frames + slots / 4 + 2048 + 1024;
	uint64_t ram = (base + base / 15 + 1 + base * MEM_BYTES_PER_FRAME / 4000 + 64) << PAGE_SHIFT;

	/* textbook: the watermarks are set, and swap takes what the disk has */
	swap_tuning = textbook ? (struct swap_tuning){ 0, 1, 1, 0 }
			       : (struct swap_tuning){ 7, 0, 0, frames };
	if (simhost_init(ram, disk_pages << PAGE_SHIFT, 39, sizeof(uint64_t)) ||
	    mem_setup(SIMHOST_SELF) || swap_setup(SIMHOST_BLK) || history_setup(frames))
		fail("cannot set up the simulated machine", 0);
	if (mem_keep(frames))	/* exactly @frames stay free */
		fail("the simulated machine came out too small", 0);
}

/* client_plain: one client with one anonymous region of @npages pages. */
static struct client *client_plain(uint32_t npages)
{
	struct client *c = pager_client_new("sim");

	if (!c || simhost_task_new(c) ||
	    region_add(c, sim_base, sim_base + ((uint64_t)npages << PAGE_SHIFT), VM_R | VM_W,
		       REGION_ANON) || pager_give_tables(c, POOL_CHUNK))
		fail("cannot make the client", 0);
	return c;
}

/* request: @c's request @label (w0, w1, w2) through the core; its w0, or
 * the run fails with @what. */
static long request(struct client *c, unsigned long label, unsigned long w0, unsigned long w1,
		    unsigned long w2, const char *what)
{
	struct msg m = { 0, label, { w0, w1, w2, 0 }, IPC_NO_HANDLE, 0 };
	long ret = simhost_request(c, &m);

	if (ret < 0 && what) {
		fprintf(stderr, "sim: %s: %s\n", what, err_name((int)ret));
		exit(EXIT_SOFTWARE);
	}
	return ret;
}

/* The file wl-replay plays (sim --image ELF FILE): its bytes and where the
 * client sees them. The client reads it with wl_next_ref, once through to
 * size its region and then a line ahead of each reference; when the file is
 * too large to wire its pages compete with the references', so the
 * simulator makes the same reads (file_read), in the same order. */
static struct {
	struct client *c;
	uint64_t va, len, at;
	const char *text;
} sim_file;

/* sim_access: @c's access to @va (a store if @w) as the client makes it: a
 * fault first when the page is not mapped, after which, when @unvisit (the
 * policy's textbook: a miss is not a visit), the page's A bit is cleared;
 * the frame (@i: the reference, for a failure). */
static inline uint64_t sim_access(struct client *c, uint64_t va, bool w, size_t i, bool unvisit)
{
	uint64_t pa = simhost_access(c, va, w);

	if (!pa) {
		if (simhost_fault(c, va, w ? FAULT_WRITE : FAULT_READ))
			fail("the core ended the client", i);
		pa = simhost_access(c, va, w);
		if (!pa)
			fail("the fault was served but the page is not mapped", i);
		if (unvisit) {
			unsigned long acc, dirty;

			be_query(c->task, va, QUERY_CLEAR_A | QUERY_ONE, &acc, &dirty);
		}
	}
	return pa;
}

/* file_read: the client reads bytes [@from, @to) of the file (@i: the
 * reference it is after). */
static void file_read(uint64_t from, uint64_t to, size_t i)
{
	if (to > sim_file.len)
		to = sim_file.len;
	for (uint64_t p = (sim_file.va + from) >> PAGE_SHIFT;
	     from < to && p <= (sim_file.va + to - 1) >> PAGE_SHIFT; p++)
		sim_access(sim_file.c, p << PAGE_SHIFT, false, i, false);
}

/* file_next: the client's parse of the reference it makes next (@i; @want:
 * the simulator's own reading of it, which must agree), its bytes read. */
static void file_next(size_t i, const uint64_t *want, bool want_write)
{
	uint64_t from = sim_file.at, page;
	bool write, bad = false, got;

	got = wl_next_ref(sim_file.text, sim_file.len, &sim_file.at, &page, &write, &bad,
			  WL_REPLAY_PAGES_MAX);
	file_read(from, sim_file.at, i);
	if (want && (!got || page != *want || write != want_write))
		fail("wl-replay would read the file differently", i);
}

/* client_program: the client program @img (its bytes at @elf) as the pager
 * spawns it, which then does what the wl clients (servers/wl/main.c) do
 * before their first reference: wire its image and the top of its stack;
 * wl-replay also the file @text (@len bytes) of the boot archive it plays.
 * The workload's region (@npages pages) is made later (client_region). */
static struct client *client_program(const struct elf_image *img, const char *elf,
				     const char *text, uint64_t len)
{
	struct client *c = pager_client_new("sim");
	uint64_t lo = UINT64_MAX, hi = 0;

	if (!c || simhost_task_new(c) || pager_image_regions(c, img, elf) ||
	    pager_give_tables(c, POOL_CHUNK))
		fail("cannot make the client", 0);
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct elf_segment *sg = &img->segments[i];

		lo = sg->vaddr < lo ? sg->vaddr : lo;
		hi = sg->vaddr + sg->memsz > hi ? sg->vaddr + sg->memsz : hi;
	}
	request(c, PAGER_WIRE, lo, (hi - lo) >> PAGE_SHIFT, 0, "cannot wire the image");
	request(c, PAGER_WIRE, INIT_STACK_TOP - WL_STACK_PAGES * PAGE_SIZE, WL_STACK_PAGES, 0,
		"cannot wire the stack");
	if (text) {
		struct msg m = { 0, PAGER_FILE, { 0 }, IPC_NO_HANDLE, 0 };
		long at;

		simhost_file("replay.ref", text, len);
		memcpy(m.w, "replay.ref", sizeof("replay.ref"));
		at = simhost_request(c, &m);
		if (at < 0)
			fail("cannot show the file", 0);
		if (len)	/* refused when too large, as live: then it is not wired */
			request(c, PAGER_WIRE, (uint64_t)at, (len + PAGE_SIZE - 1) >> PAGE_SHIFT, 0,
				NULL);
		sim_file.c = c;
		sim_file.va = (uint64_t)at;
		sim_file.text = text;
		sim_file.len = len;
		file_read(0, len, 0);	/* its first pass, to size the region */
	}
	return c;
}

/* layout: each page of @r at its own page number in its client's region
 * (off_of, cl_of and id_at); the regions' sizes in @pages[client]. */
static void layout(const struct refs *r, uint64_t pages[MIX_MAX])
{
	uint64_t total = 0;

	for (unsigned k = 0; k < MIX_MAX; k++)
		pages[k] = 1;
	for (size_t i = 0; i < r->n; i++) {
		unsigned k = nclients > 1 ? (unsigned)(r->page[i] >> MIX_SHIFT) : 0;
		uint64_t p = nclients > 1 ? r->page[i] & ((1ull << MIX_SHIFT) - 1) : r->page[i];

		if (p >= REGION_PAGES_MAX) {
			fprintf(stderr, "sim: page number %llu: a region holds at most %lu pages\n",
				(unsigned long long)p, (unsigned long)REGION_PAGES_MAX);
			exit(EXIT_USAGE);
		}
		pages[k] = p + 1 > pages[k] ? p + 1 : pages[k];
	}
	for (unsigned k = 0; k < nclients; k++) {
		id_start[k] = total;
		total += pages[k];
	}
	off_of = xalloc(r->npages ? r->npages : 1, sizeof(*off_of));
	cl_of = xalloc(r->npages ? r->npages : 1, sizeof(*cl_of));
	id_at = xalloc(total, sizeof(*id_at));
	for (size_t i = 0; i < r->n; i++) {
		unsigned k = nclients > 1 ? (unsigned)(r->page[i] >> MIX_SHIFT) : 0;
		uint64_t p = nclients > 1 ? r->page[i] & ((1ull << MIX_SHIFT) - 1) : r->page[i];

		off_of[r->id[i]] = p;
		cl_of[r->id[i]] = (uint8_t)k;
		id_at[id_start[k] + p] = r->id[i];
	}
}

/* client_region: @c's region for the references of @r (PAGER_MAP), each
 * page at its own page number, as the wl clients lay them out. */
static void client_region(struct client *c, const struct refs *r)
{
	uint64_t pages[MIX_MAX];

	layout(r, pages);
	sim_base = (uint64_t)request(c, PAGER_MAP, pages[0], VM_R | VM_W, PAGER_REGION_ANON,
				     "cannot map the region");
}

/* simulate: run @r through the core, each reference by its page's client
 * (@textbook: the simulator's textbook mode; @lru, @opt: the yardstick's
 * bookkeeping at each reference). */
static void simulate(const struct refs *r, bool textbook, bool lru, bool opt)
{
	bool unvisit = textbook && pager_pol->miss_not_visit;
	uint64_t *stamp = xalloc(r->npages, sizeof(*stamp));	/* what each page holds */

	pager_unvisited = unvisit;	/* the policy asks: pager_fault_visits */

	for (size_t i = 0; i < r->n; i++) {
		uint32_t id = r->id[i];
		uint64_t va = sim_base + (page_off(id) << PAGE_SHIFT), *word, pa;
		struct client *c = page_client(id);
		bool w = r->write[i];

		next_use[id] = r->next[i];
		if (sim_file.text)	/* wl-replay reads the line first */
			file_next(i, &r->page[i], w);
		pa = sim_access(c, va, w, i, unvisit);
		if (lru)
			frame_list_to_tail(&yard, pa);
		else if (opt)
			opt_note(id, pa);
		word = mem_ptr(pa);
		if (*word != stamp[id])
			fail("the page does not hold what was written to it", i);
		if (w)
			*word = stamp[id] = i + 1;
	}
	if (sim_file.text)	/* and the rest of the file, to its end */
		file_next(r->n, NULL, false);
	free(stamp);
}


/* workload_refs: the references of the suite's workload @name sized for
 * @frames frames (seed 1, as the wl-NAME clients run it; zipf with @skew
 * hundredths, 0 for its default) into @r; for a mix "A+B..." each sized so
 * (as each live client sizes itself by the frames free when it starts),
 * one reference of each in turn, a client's pages MIX_SHIFT apart; 0. */
static int workload_refs(const char *name, unsigned long frames, unsigned skew, struct refs *r)
{
	struct wl w[MIX_MAX];
	char names[64];
	unsigned n = 0, live;
	uint64_t page;
	bool write;

	snprintf(names, sizeof(names), "%s", name);
	for (char *save, *k = strtok_r(names, "+", &save); k && n < MIX_MAX;
	     k = strtok_r(NULL, "+", &save)) {
		wl_start(&w[n], wl_kind_of(k), frames, 1);
		if (skew && w[n].kind == WL_ZIPF)
			wl_skew(&w[n], skew);	/* checked with the options */
		n++;
	}
	nclients = n;
	do {
		live = 0;
		for (unsigned k = 0; k < n; k++) {
			if (!wl_next(&w[k], &page, &write))
				continue;
			refs_add(r, n > 1 ? (uint64_t)k << MIX_SHIFT | page : page, write);
			live++;
		}
	} while (live);
	return 0;
}

/* seconds: a monotonic clock. */
static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* read_whole: the bytes of file @path (NUL after them), their count in *@len;
 * exits 66 when it cannot be read. */
static char *read_whole(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "sim: cannot read %s: %s\n", path, strerror(errno));
		exit(EXIT_NOINPUT);
	}
	do {
		if (n + 65536 + 1 > cap) {
			cap = 2 * cap + 65536 + 1;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "sim: out of memory\n");
				exit(EXIT_SOFTWARE);
			}
		}
		got = fread(buf + n, 1, 65536, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		fprintf(stderr, "sim: cannot read %s: %s\n", path, strerror(errno));
		exit(EXIT_NOINPUT);
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* check_pages: exit 64 if @r has more distinct pages than the simulator takes. */
static void check_pages(const struct args *a, struct refs *r)
{
	if (r->npages <= PAGES_MAX)
		return;
	fprintf(stderr, "sim: %s: %u distinct pages; the simulator takes at most %u\n",
		a->path ? a->path : a->workload, r->npages, PAGES_MAX);
	refs_free(r);
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct refs r = { 0 };
	struct pager_policy policy;
	struct elf_image img;
	struct client *c;
	char *elf = NULL, *text = NULL;
	uint64_t elf_len = 0, text_len = 0;
	double t0 = seconds(), t1, t2;
	int status = 0;

	parse_args(argc, argv, &a);
	if (a.image) {
		const char *why;

		elf = read_whole(a.image, &elf_len);
		if (elf_check(elf, elf_len, 1ull << 38, &img, &why)) {
			fprintf(stderr, "sim: %s: %s\n", a.image, why);
			return EXIT_USAGE;
		}
	}
	if (a.path)
		status = read_refs(a.path, &r);
	else if (!a.image)	/* with --image: sized once the program has started */
		status = workload_refs(a.workload, a.wl_frames ? a.wl_frames : a.frames, a.skew, &r);
	if (status) {
		refs_free(&r);
		return status;
	}
	refs_number(&r);
	if (a.check) {	/* tools/faultline run --replay checks its FILE so */
		printf("%zu references, %u pages\n", r.n, r.npages);
		refs_free(&r);
		return 0;
	}
	check_pages(&a, &r);
	policy = a.opt ? opt_policy : a.lru ? lru_policy : pager_policy;
	if (a.scan && policy.periodic_scan)
		policy.scan_faults = (unsigned)a.scan;
	pager_pol = &policy;
	if (a.image) {	/* as the wl client: wire, size, map */
		if (a.path)
			text = read_whole(a.path, &text_len);
		machine((uint32_t)a.frames, a.disk ? a.disk : r.npages + a.frames + 64, false);
		c = client_program(&img, elf, text, text_len);
		if (a.workload) {
			struct msg st = { 0, PAGER_STATS, { 0 }, IPC_NO_HANDLE, 0 };

			simhost_request(c, &st);
			workload_refs(a.workload, st.w[2], a.skew, &r);
			refs_number(&r);
			check_pages(&a, &r);
		}
		client_region(c, &r);
		sim_clients[0] = c;
	} else {
		uint64_t pages[MIX_MAX] = { r.npages };

		if (nclients > 1)	/* a mix: each page at its number in its client's region */
			layout(&r, pages);
		machine((uint32_t)a.frames, a.disk ? a.disk : r.npages + a.frames + 64, !a.free);
		if (swap_area.nslots < r.npages + 2)
			fail("more distinct pages than swap holds: the pager takes at most 8 swap "
			     "slots a data frame", 0);
		for (unsigned k = 0; k < nclients; k++)
			sim_clients[k] = client_plain((uint32_t)pages[k]);
	}
	next_use = xalloc(r.npages ? r.npages : 1, sizeof(*next_use));
	t1 = seconds();
	simulate(&r, !a.free, a.lru, a.opt);
	t2 = seconds();
	if (a.stats)
		fprintf(stderr, "sim: %zu references, %u pages: read in %.2f s, simulated in %.2f s "
				"(%.2f million references a second)\n",
			r.n, r.npages, t1 - t0, t2 - t1, t2 > t1 ? (double)r.n / (t2 - t1) / 1e6 : 0.0);
	printf("faults: %lu\nevictions: %lu\nwrite-backs: %lu\n", pager_now(),
	       pager_count.evictions, pager_count.write_backs);
	if (a.free) {	/* the line a live pager prints, to compare */
		fflush(stdout);
		simhost_log = stdout;
		counters_print();
		simhost_log = NULL;
	}
	free(next_use);
	free(heap);
	free(elf);
	free(text);
	free(off_of);
	free(cl_of);
	free(id_at);
	refs_free(&r);
	return 0;
}
