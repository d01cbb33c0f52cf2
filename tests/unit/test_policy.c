/* SPDX-License-Identifier: MIT */
/*
 * Host tests of a pager policy, built natively from the very file the pager
 * server uses (meson builds this once per policy under servers/pager*). This
 * file plays the pager library's part: a frame table, accessed and dirty bits
 * and a clock the test controls. The hooks must answer sanely for faults of
 * every kind in every region kind; a policy that chooses victims must pick a
 * frame it was told is mapped, offer another when asked again (the library
 * asks again when it cannot take a frame), write back only dirty pages, and
 * forget released ones: every policy, found by the build, gets these. What
 * some promise besides comes from meson, by name (0 when not given):
 * POLICY_WANTS_2M, 2 MiB pages for a big anonymous region; POLICY_USES_ACCESSED,
 * a frame not accessed lately goes first (not FIFO); POLICY_FIFO_ORDER, the
 * first mapped goes first (FIFO); POLICY_CYCLES, asked again it goes round,
 * never the same twice running (all but Random-like ones); POLICY_PREFERS_CLEAN,
 * a clean old page goes before dirty ones (WSClock).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <pager.h>

#ifndef POLICY_WANTS_2M
#define POLICY_WANTS_2M 0
#endif
#ifndef POLICY_USES_ACCESSED
#define POLICY_USES_ACCESSED 0
#endif
#ifndef POLICY_FIFO_ORDER
#define POLICY_FIFO_ORDER 0
#endif
#ifndef POLICY_CYCLES
#define POLICY_CYCLES 0
#endif
#ifndef POLICY_PREFERS_CLEAN
#define POLICY_PREFERS_CLEAN 0
#endif

#define BASE_PFN 0x80000u
#define NFRAMES 64

static struct frame frames[NFRAMES];
static bool accessed[NFRAMES], dirty[NFRAMES];
static unsigned long now, cleaned;

/* map_hook: the policy's on_map, if it has one. What it prints (pager-huge
 * counts its 2 MiB pages) goes to stderr: stdout is cmocka's TAP stream. */
static void map_hook(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
		     unsigned order)
{
	int tap;

	if (!pager_policy.on_map)
		return;
	fflush(stdout);
	tap = dup(1);
	assert_true(tap >= 0 && dup2(2, 1) == 1);
	pager_policy.on_map(c, va, pa, fr, order);
	fflush(stdout);
	assert_true(dup2(tap, 1) == 1);
	close(tap);
}

struct frame *pager_frame(uint64_t pa)
{
	uint64_t i = (pa >> 12) - BASE_PFN;

	return i < NFRAMES ? &frames[i] : NULL;
}

bool pager_page_accessed(uint64_t pa, bool clear)
{
	uint64_t i = (pa >> 12) - BASE_PFN;
	bool a = accessed[i];

	if (clear)
		accessed[i] = false;
	return a;
}

uint64_t pager_pages_accessed(const uint64_t *pa, unsigned n, bool clear)
{
	uint64_t bits = 0;

	assert_true(n >= 1 && n <= PAGER_BATCH);
	for (unsigned i = 0; i < n; i++) {
		assert_non_null(pager_frame(pa[i]));
		bits |= (uint64_t)pager_page_accessed(pa[i], clear) << i;
	}
	return bits;
}

bool pager_page_dirty(uint64_t pa)
{
	return dirty[(pa >> 12) - BASE_PFN];
}

/* pager_page_clean: only a dirty page has anything to write. */
bool pager_page_clean(uint64_t pa)
{
	uint64_t i = (pa >> 12) - BASE_PFN;

	assert_true(i < NFRAMES && frames[i].kind == FRAME_DATA && frames[i].order == 0);
	assert_true(dirty[i]);
	dirty[i] = false;
	cleaned++;
	return true;
}

/* pager_fault_visits: as live, the faulting access leaves its A bit. */
bool pager_fault_visits(void)
{
	return true;
}

unsigned long pager_now(void)
{
	return now;
}

/* The library's history of evicted pages (lib/pager/history.c), in small:
 * the last NFRAMES evictions, for a policy with .history. */
static struct { struct frame page; unsigned long when; bool kept; } ghosts[NFRAMES];
static unsigned nghosts, remembered, recalled;

static void remember(const struct frame *f)
{
	assert_true(pager_policy.history);
	ghosts[nghosts % NFRAMES].page = *f;
	ghosts[nghosts % NFRAMES].when = now;
	ghosts[nghosts++ % NFRAMES].kept = true;
	remembered++;
}

bool pager_page_history(uint64_t pa, struct pager_history *h)
{
	const struct frame *f = pager_frame(pa);

	assert_non_null(f);
	for (unsigned i = 0; i < NFRAMES; i++)
		if (ghosts[i].kept && ghosts[i].page.owner == f->owner &&
		    ghosts[i].page.vpage == f->vpage) {
			*h = (struct pager_history){ ghosts[i].when, ghosts[i].page.pword };
			ghosts[i].kept = false;
			recalled++;
			return true;
		}
	return false;
}

static uint64_t pa_of(unsigned i)
{
	return (uint64_t)(BASE_PFN + i) << 12;
}

static void test_name(void **state)
{
	(void)state;
	assert_non_null(pager_policy.name);
	assert_true(strlen(pager_policy.name) > 0);
}

static void test_on_fault_answers(void **state)
{
	static const enum region_kind kinds[] = { REGION_IMAGE, REGION_ANON, REGION_STACK,
						  REGION_ALIAS, REGION_SHARED };
	static const unsigned accesses[] = { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
	struct client c;
	struct region r = { 0x40000000, 0x40400000, VM_R | VM_W, VM_R | VM_W, REGION_ANON, 0, -1,
			    -1, NULL, 0, 0 };
	(void)state;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, "host-test");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t a = 0; a < sizeof(accesses) / sizeof(accesses[0]); a++) {
			struct pager_fault f = { &c, &r, r.start + 0x1234, accesses[a] };
			unsigned size;

			r.kind = kinds[k];
			size = pager_policy.on_fault ? pager_policy.on_fault(&f) : PAGE_LEVEL_4K;
			assert_true(size == PAGE_LEVEL_4K || size == PAGE_LEVEL_2M);
			c.faults++;
		}
	r.kind = REGION_ANON;
	{
		struct pager_fault f = { &c, &r, r.start, FAULT_WRITE };
		unsigned size = pager_policy.on_fault ? pager_policy.on_fault(&f) : PAGE_LEVEL_4K;

		assert_int_equal(size, POLICY_WANTS_2M ? PAGE_LEVEL_2M : PAGE_LEVEL_4K);
	}
}

/* map: tell the policy frames [0, n) are mapped, frame i at page 0x40000 + i. */
static void map(unsigned n, const struct client *c)
{
	for (unsigned i = 0; i < n; i++) {
		frames[i] = (struct frame){ .owner = 1, .kind = FRAME_DATA, .vpage = 0x40000 + i,
					    .link_next = MEM_NONE, .link_prev = MEM_NONE };
		map_hook(c, (0x40000ul + i) << 12, pa_of(i), &frames[i], 0);
	}
}

/* release: tell the policy frames [0, n) but @gone went back. */
static void release(unsigned n, unsigned gone)
{
	for (unsigned i = 0; i < n; i++)
		if (i != gone && pager_policy.on_release)
			pager_policy.on_release(pa_of(i), &frames[i], 0);
}

/* set_up: 8 frames mapped to @c at time @t0 with the accessed and dirty bits
 * of @acc and @dirt (bit i: frame i), then a periodic scan at time @t1; false,
 * with nothing set up, for a policy that never evicts. */
static bool set_up(struct client *c, unsigned long t0, unsigned long t1, unsigned acc,
		   unsigned dirt)
{
	memset(c, 0, sizeof(*c));
	if (!pager_policy.choose_victim)
		return false;
	now = t0;
	map(8, c);
	for (unsigned i = 0; i < 8; i++) {
		accessed[i] = acc >> i & 1;
		dirty[i] = dirt >> i & 1;
	}
	now = t1;
	if (pager_policy.periodic_scan)
		pager_policy.periodic_scan();
	return true;
}

/* tear_down: release every frame but @gone (8: all), clean again. */
static void tear_down(unsigned gone)
{
	release(8, gone);
	memset(dirty, 0, sizeof(dirty));
}

/* evict: evict the victim @v (one of frames [0, 8)); its index. */
static unsigned evict(uint64_t v)
{
	unsigned i = (unsigned)((v >> 12) - BASE_PFN);

	assert_true(v >= pa_of(0) && v < pa_of(8));
	pager_policy_evicted(&pager_policy, v, &frames[i], remember);
	return i;
}

static void test_victims(void **state)
{
	struct client c;
	unsigned gone;
	(void)state;

	/* all accessed but frame 5, then a while later (a tick of the policies
	 * that age pages): a policy that looks at accessed bits must not pick an
	 * accessed frame while an unaccessed one exists */
	if (!set_up(&c, 0, 1000, 0xff & ~(1u << 5), 0)) {
		/* nothing is ever evicted: an eviction hook would never run */
		assert_null(pager_policy.on_evict);
		return;
	}
	gone = evict(pager_policy.choose_victim());
	if (POLICY_USES_ACCESSED)
		assert_int_equal(gone, 5);
	else if (POLICY_FIFO_ORDER)
		assert_int_equal(gone, 0);	/* FIFO: the first mapped */
	/* the victim went: it must never be chosen again */
	for (int round = 0; round < 20; round++) {
		uint64_t v = pager_policy.choose_victim();

		assert_true(v >= pa_of(0) && v < pa_of(8));
		assert_int_not_equal(v, pa_of(gone));
	}
	/* all released: nothing left to choose */
	tear_down(gone);
	assert_int_equal(pager_policy.choose_victim(), 0);
}

/* Asked again without an eviction (the library could not take the frame), a
 * policy offers a mapped frame each time and, eventually (200 asks), every
 * frame (a policy that prefers clean pages: every clean one). One that goes
 * round (POLICY_CYCLES) never offers the same twice running and offers every
 * frame within two rounds. */
static void test_asked_again(void **state)
{
	struct client c;
	bool offered[8] = { false };
	(void)state;

	if (!set_up(&c, 2000, 3000, 0x49, 0x55))	/* accessed: i % 3 == 0; dirty: even i */
		return;
	for (unsigned ask = 0, last = 8; ask < (POLICY_CYCLES ? 16 : 200); ask++) {
		uint64_t v = pager_policy.choose_victim();

		assert_true(v >= pa_of(0) && v < pa_of(8));
		if (POLICY_CYCLES)
			assert_int_not_equal((v >> 12) - BASE_PFN, last);
		last = (unsigned)((v >> 12) - BASE_PFN);
		offered[last] = true;
	}
	for (unsigned i = 0; i < 8; i++)
		assert_true(offered[i] || (POLICY_PREFERS_CLEAN && dirty[i]));
	tear_down(8);
}

/* Old pages, none accessed, all dirty but frame 6: a policy that prefers clean
 * pages takes 6, writing back (pager_page_clean) the dirty ones on its way,
 * 0 to 5; the others may take any and write back nothing themselves. The fake
 * pager_page_clean fails the test if asked to write a clean page. */
static void test_dirty(void **state)
{
	struct client c;
	unsigned gone;
	(void)state;

	cleaned = 0;
	if (!set_up(&c, 4000, 5000, 0, 0xff & ~(1u << 6)))	/* none accessed, dirty but 6 */
		return;
	gone = evict(pager_policy.choose_victim());
	if (POLICY_PREFERS_CLEAN) {
		assert_int_equal(gone, 6);
		assert_int_equal(cleaned, 6);	/* the dirty old pages the hand passed */
	} else {
		assert_int_equal(cleaned, 0);
	}
	tear_down(gone);
}

/* A victim's page faults back in (the same frame, later): a policy that asks
 * for the history (.history) recalls it in on_map, once; every policy goes
 * on offering mapped frames only. */
static void test_refault(void **state)
{
	struct client c;
	unsigned gone, kept = remembered, got;
	(void)state;

	if (!set_up(&c, 6000, 7000, 0x0f, 0))
		return;
	gone = evict(pager_policy.choose_victim());
	assert_int_equal(remembered, kept + (pager_policy.history ? 1 : 0));
	now = 7100;
	got = recalled;
	frames[gone] = (struct frame){ .owner = 1, .kind = FRAME_DATA, .vpage = 0x40000 + gone,
				       .link_next = MEM_NONE, .link_prev = MEM_NONE };
	map_hook(&c, (0x40000ul + gone) << 12, pa_of(gone), &frames[gone], 0);
	assert_int_equal(recalled, got + (pager_policy.history ? 1 : 0));
	for (int ask = 0; ask < 40; ask++) {
		uint64_t v = pager_policy.choose_victim();

		assert_true(v >= pa_of(0) && v < pa_of(8));
	}
	tear_down(8);
	assert_int_equal(pager_policy.choose_victim(), 0);
}

static void test_2m_frames_left_alone(void **state)
{
	struct client c;
	struct frame big = { .owner = 1, .kind = FRAME_DATA, .order = 9, .vpage = 0x40200,
			     .link_next = MEM_NONE, .link_prev = MEM_NONE };
	(void)state;

	memset(&c, 0, sizeof(c));
	frames[0] = big;
	map_hook(&c, 0x40200000, pa_of(0), &frames[0], 9);
	if (pager_policy.choose_victim)
		assert_int_equal(pager_policy.choose_victim(), 0);	/* only 4 KiB victims */
	if (pager_policy.on_release)
		pager_policy.on_release(pa_of(0), &frames[0], 9);
	if (pager_policy.periodic_scan)
		pager_policy.periodic_scan();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_on_fault_answers),
		cmocka_unit_test(test_victims),
		cmocka_unit_test(test_asked_again),
		cmocka_unit_test(test_dirty),
		cmocka_unit_test(test_refault),
		cmocka_unit_test(test_2m_frames_left_alone),
	};

	return cmocka_run_group_tests_name(pager_policy.name, tests, NULL, NULL);
}
