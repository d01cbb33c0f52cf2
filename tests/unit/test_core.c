/* SPDX-License-Identifier: MIT */
/*
 * The pager core under random events, on the host: the real core (lib/pager)
 * and a real policy file over the host backend (tools/simhost.c), built with
 * AddressSanitizer and UBSan, once per policy that swaps. Clients come and
 * go and touch pages of regions larger than RAM at random (with locality),
 * so that pages are evicted, written to swap in batches, read back with
 * read-ahead and dropped clean. After every step the checks hold:
 *
 *   - every word a client wrote reads back (the first and last word of each
 *     page it wrote; a page never written reads zero), whichever way the page
 *     went through swap;
 *   - no frame is lost or mapped twice: every data frame the core records is
 *     mapped at its page in its owner's page table (or waits unmapped in the
 *     read-ahead cache), and each client's resident count agrees;
 *   - the frame allocator's own check passes;
 *   - when every client has ended, free data and table frames and swap slots
 *     are back where they started.
 *
 * The seed is fixed (a failure replays); CORE_TEST_SEED in the environment
 * picks another, CORE_TEST_STEPS another length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <faultline/blk.h>
#include <faultline/pager_proto.h>

#include "simhost.h"

#define RAM_BYTES	(6ul << 20)	/* about 1,100 data frames after the tables */
#define DISK_BYTES	(64ul << 20)
#define CLIENTS		4
#define WORDS		(PAGE_SIZE / sizeof(uint64_t))

static struct sim_client {
	struct client *c;
	uint64_t pages;
	uint64_t *stamp;	/* page -> what its first and last words hold */
} sims[CLIENTS];

static uint64_t rng_state;
static unsigned long stamp_next = 1;

/* rnd: the next number of a xorshift64* sequence. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned long env_number(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : dflt;
}

/* client_start: sim client @i with a region of @pages pages. */
static void client_start(unsigned i, uint64_t pages)
{
	struct sim_client *s = &sims[i];
	struct client *c = pager_client_new("core-test");

	assert_non_null(c);
	assert_int_equal(simhost_task_new(c), 0);
	assert_int_equal(region_add(c, MAP_BASE, MAP_BASE + (pages << PAGE_SHIFT), VM_R | VM_W,
				    REGION_ANON), 0);
	assert_int_equal(pager_give_tables(c, POOL_CHUNK), 0);
	s->c = c;
	s->pages = pages;
	s->stamp = calloc(pages, sizeof(*s->stamp));
	assert_non_null(s->stamp);
}

/* client_end: sim client @i exits (PAGER_EXIT). */
static void client_end(unsigned i)
{
	struct sim_client *s = &sims[i];

	pager_client_end(s->c, 0, PAGER_END_EXITED);
	assert_false(s->c->used);
	free(s->stamp);
	memset(s, 0, sizeof(*s));
}

/* touch: client @i reads or writes page @page, faulting it in as needed, and
 * checks what the page holds. */
static void touch(unsigned i, uint64_t page, bool write)
{
	struct sim_client *s = &sims[i];
	uint64_t va = MAP_BASE + (page << PAGE_SHIFT), pa = simhost_access(s->c, va, write);
	uint64_t *w;

	if (!pa) {
		assert_int_equal(simhost_fault(s->c, va, write ? FAULT_WRITE : FAULT_READ), 0);
		while (!(pa = simhost_access(s->c, va, write))) {	/* it waits for I/O */
			if (!simhost_io_pending())
				fail_msg("client %u page %lu: its fault waits, no I/O is in flight", i,
					 (unsigned long)page);
			simhost_io_finish((unsigned)(rnd() % simhost_io_pending()));
			if (!simhost_access(s->c, va, write))	/* answered: it faults again */
				assert_int_equal(simhost_fault(s->c, va,
							       write ? FAULT_WRITE : FAULT_READ), 0);
		}
	}
	w = mem_ptr(pa);
	if (w[0] != s->stamp[page] || w[WORDS - 1] != s->stamp[page]) {
		fail_msg("client %u page %lu: holds %lx/%lx, wrote %lx", i, (unsigned long)page,
			 (unsigned long)w[0], (unsigned long)w[WORDS - 1],
			 (unsigned long)s->stamp[page]);
	}
	if (write)
		w[0] = w[WORDS - 1] = s->stamp[page] = stamp_next++;
}

/* clients_used: whether any client is running. */
static bool clients_used(void)
{
	for (unsigned i = 0; i < CLIENT_MAX; i++)
		if (clients[i].used)
			return true;
	return false;
}

/* check_frames: every data frame is mapped where its record says (or is a
 * read-ahead frame, unmapped), and the clients' resident counts agree; no
 * resident page is history, and the history's index is sound. */

static void check_frames(void)
{
	unsigned long resident[CLIENT_MAX] = { 0 };

	for (unsigned z = 0; z < nzones; z++) {
		for (uint32_t k = 0; k < zones[z].buddy.npages; k++) {
			const struct frame *f = &zones[z].frames[k];
			uint64_t pa = (zones[z].buddy.base_pfn + k) << PAGE_SHIFT;
			uint64_t va = (uint64_t)f->vpage << PAGE_SHIFT;

			if (f->kind == FRAME_CACHE) {
				assert_true(clients[f->owner].used);
				assert_int_equal(simhost_frame_of(&clients[f->owner], va), 0);
			}
			if ((f->kind != FRAME_DATA && f->kind != FRAME_WIRED) || !f->owner)
				continue;
			assert_true(f->owner < CLIENT_MAX && clients[f->owner].used);
			if (simhost_frame_of(&clients[f->owner], va) != pa)
				fail_msg("frame 0x%lx: recorded at 0x%lx of client %u, not mapped there",
					 (unsigned long)pa, (unsigned long)va, f->owner);
			resident[f->owner]++;
			/* a page faulted back in is no longer history (a policy
			 * with .history asks in on_map; an eviction undone forgets) */
			if (pager_pol->history)
				assert_false(history_remembers(f));
		}
	}
	assert_int_equal(history_check(), 0);
	if (!clients_used())
		assert_int_equal(history_entries(), 0);
	for (unsigned i = 1; i < CLIENT_MAX; i++)
		if (clients[i].used)
			assert_int_equal(clients[i].pages, resident[i]);
	assert_int_equal(mem_check(), 0);
}

/* machine_up: the simulated machine, RAM_BYTES with swap, once. */
static void machine_up(void)
{
	static bool up;

	if (up)
		return;
	assert_int_equal(simhost_init(RAM_BYTES, DISK_BYTES, 39, 0), 0);
	assert_int_equal(mem_setup(SIMHOST_SELF), 0);
	assert_int_equal(swap_setup(SIMHOST_BLK), 0);
	assert_true(swap_on);
	assert_int_equal(history_setup(0), 0);
	up = true;
}

/* random_events: the steps of test_random_events; with @defer, the I/O the
 * core hands to its I/O threads ends only when a step or a waiting fault
 * ends it (simhost_defer_io): reads and writes in flight, faults waiting
 * for them, clients ending with I/O in flight. */
static void random_events(bool defer, unsigned long steps)
{
	uint64_t data0, tables0;
	unsigned long evicted;
	struct pager_counters before = pager_count;

	rng_state = env_number("CORE_TEST_SEED", 1981) * 2 + 1 + defer;
	print_message("# seed %lu, %lu steps%s\n", (unsigned long)env_number("CORE_TEST_SEED", 1981),
		      steps, defer ? ", I/O ends later" : "");
	machine_up();
	simhost_defer_io(defer);
	data0 = mem_free_pages(false);
	tables0 = mem_free_pages(true);
	for (unsigned long n = 0; n < steps; n++) {
		unsigned i = (unsigned)(rnd() % CLIENTS);
		struct sim_client *s = &sims[i];
		uint64_t r = rnd() % 1000;

		if (!s->c) {	/* a region of 1/8 to 9/8 of the data frames */
			client_start(i, data0 / 8 + rnd() % data0);
			continue;
		}
		if (defer && simhost_io_pending() && r % 5 == 0)	/* a job ends */
			simhost_io_finish((unsigned)(rnd() % simhost_io_pending()));
		if (r == 0) {
			client_end(i);
			check_frames();
			continue;
		}
		if (r == 1) {	/* wire a few pages: refused whole or done (check_frames) */
			struct msg m = { 0, PAGER_WIRE, { MAP_BASE + (rnd() % s->pages << PAGE_SHIFT),
							  1 + rnd() % 8, 0, 0 }, IPC_NO_HANDLE, 0 };
			long err = simhost_request(s->c, &m);

			assert_true(err == 0 || err == -ERR_AGAIN || err == -ERR_INVAL ||
				    err == -ERR_QUOTA);
			continue;
		}
		/* locality: mostly a window that drifts, sometimes anywhere */
		uint64_t base = (n / 64 * 37 + i * 1000) % s->pages;
		uint64_t page = r < 900 ? (base + rnd() % 96) % s->pages : rnd() % s->pages;

		touch(i, page, rnd() % 3 == 0);
		if (n % 4096 == 0)
			check_frames();
	}
	evicted = pager_count.evictions - before.evictions;
	for (unsigned i = 0; i < CLIENTS; i++)
		if (sims[i].c)
			client_end(i);
	while (simhost_io_pending())	/* what the ended clients had in flight */
		simhost_io_finish(0);
	simhost_defer_io(false);
	check_frames();
	print_message("# %lu evictions (%lu write-backs, %lu clean drops), %lu swap-ins, %lu read "
		      "ahead (%lu hits)\n", evicted, pager_count.write_backs - before.write_backs,
		      pager_count.clean_drops - before.clean_drops,
		      pager_count.swap_ins - before.swap_ins, pager_count.readahead - before.readahead,
		      pager_count.readahead_hits - before.readahead_hits);
	/* it must really have paged, or the checks above checked little */
	assert_true(pager_count.write_backs - before.write_backs > steps / 60);
	assert_true(pager_count.swap_ins - before.swap_ins > steps / 60);
	assert_true(pager_count.clean_drops > before.clean_drops);
	if (!defer)	/* (with it, a policy may hit none in the shorter run: WSClock) */
		assert_true(pager_count.readahead_hits > before.readahead_hits);
	assert_int_equal(pager_count.io_errors, 0);
	assert_int_equal(mem_free_pages(false), data0);
	assert_int_equal(mem_free_pages(true), tables0);
	assert_int_equal(swap_area.used, 0);
	assert_int_equal(swap_check(&swap_area), 0);
	assert_int_equal(pager_wired, 0);
}

static void test_random_events(void **state)
{
	(void)state;
	random_events(false, env_number("CORE_TEST_STEPS", 60000));
}

/* The same with the I/O ending later (random_events): what the live pager
 * meets with its I/O threads, which the simulator never shows. */
static void test_random_events_io_later(void **state)
{
	(void)state;
	random_events(true, env_number("CORE_TEST_STEPS", 60000) / 2);
}

/* wire: client @i's PAGER_WIRE of @pages pages from page @page (or the
 * address @va when @page is -1): its answer. */
static long wire(unsigned i, long page, uint64_t pages, uint64_t va)
{
	struct msg m = { 0, PAGER_WIRE, { page < 0 ? va : MAP_BASE + ((uint64_t)page << PAGE_SHIFT),
					  pages, 0, 0 }, IPC_NO_HANDLE, 0 };

	return simhost_request(sims[i].c, &m);
}

/* PAGER_WIRE (after test_random_events, on its machine): refusals change
 * nothing; wired pages are filled, counted as faults, never evicted while a
 * neighbour pages through twice the RAM, and come back when their client
 * ends. */
static void test_wire(void **state)
{
	uint64_t data0 = mem_free_pages(false), cap = mem_data_pages() / 8;
	unsigned long faults0 = pager_now(), evictions0 = pager_count.evictions;

	(void)state;
	client_start(0, 2 * cap);
	client_start(1, 2 * data0);
	assert_int_equal(wire(0, -1, 1, MAP_BASE + 8), -ERR_ALIGN);
	assert_int_equal(wire(0, 0, 0, 0), -ERR_INVAL);
	assert_int_equal(wire(0, 0, PAGER_WIRE_MAX + 1, 0), -ERR_INVAL);
	assert_int_equal(wire(0, (long)(2 * cap - 1), 2, 0), -ERR_INVAL);	/* past the region */
	assert_int_equal(wire(0, -1, 1, 0x1000), -ERR_INVAL);			/* no region there */
	assert_int_equal(wire(0, 0, cap + 1, 0), -ERR_QUOTA);			/* over 1/8 */
	assert_int_equal(mem_free_pages(false), data0);	/* refusals took nothing */
	assert_int_equal(pager_now(), faults0);
	assert_int_equal(pager_wired, 0);
	touch(0, 3, true);	/* one page mapped before: it is wired where it is */
	assert_int_equal(wire(0, 0, cap, 0), 0);
	assert_int_equal(pager_wired, cap);
	assert_int_equal(pager_now(), faults0 + cap);	/* each page once */
	assert_int_equal(mem_free_pages(false), data0 - cap);
	assert_int_equal(wire(0, 0, cap, 0), 0);	/* again: nothing more */
	assert_int_equal(pager_wired, cap);
	assert_int_equal(wire(0, (long)cap, 1, 0), -ERR_QUOTA);
	for (uint64_t p = 0; p < 2 * data0; p++)	/* the neighbour pages through */
		touch(1, p, p % 3 == 0);
	assert_true(pager_count.evictions > evictions0 + data0 / 2);
	check_frames();	/* the wired pages are still mapped */
	for (uint64_t p = 0; p < cap; p++)
		touch(0, p, false);	/* without a fault: still there, page 3 as written */
	assert_int_equal(sims[0].c->faults, cap);
	client_end(0);
	client_end(1);
	check_frames();
	assert_int_equal(pager_wired, 0);
	assert_int_equal(mem_free_pages(false), data0);
}

/* PAGER_WIRE under memory pressure: the fills of a range evict, and must
 * not take the range's own mapped pages (the oldest on the policy's lists
 * here), whose data would be lost under the fill. */
static void test_wire_pressure(void **state)
{
	uint64_t data0 = mem_free_pages(false), cap = mem_data_pages() / 8;
	uint64_t low = data0 / 64 + 16;	/* swap_setup's rule */
	unsigned long evictions0 = pager_count.evictions;

	(void)state;
	client_start(0, cap);
	client_start(1, data0);
	for (uint64_t p = 0; p < cap / 2; p++)	/* written first: the oldest */
		touch(0, p, true);
	for (uint64_t p = 0; mem_free_pages(false) > low + 4; p++)
		touch(1, p, false);
	assert_int_equal(pager_count.evictions, evictions0);	/* none yet */
	assert_int_equal(wire(0, 0, cap, 0), 0);	/* its fills evict */
	assert_true(pager_count.evictions > evictions0);
	for (uint64_t p = 0; p < cap; p++)
		touch(0, p, false);	/* every page as written, none faulted again */
	assert_int_equal(sims[0].c->faults, cap);
	check_frames();
	client_end(0);
	client_end(1);
	assert_int_equal(pager_wired, 0);
	assert_int_equal(mem_free_pages(false), data0);
}

/* PAGER_WIRE and 2 MiB pages (every policy, pager-huge's the one that maps
 * them): no page of one is wired, the head's or any other (their records
 * are not pages of their own), and nothing is left behind. */
static void test_wire_2m(void **state)
{
	struct region r = { .start = MAP_BASE, .end = MAP_BASE + (4ul << 20), .perms = VM_R | VM_W,
			    .kind = REGION_ANON };
	struct pager_fault f = { NULL, &r, MAP_BASE, FAULT_WRITE };
	bool two_mib = pager_policy.on_fault && pager_policy.on_fault(&f) == PAGE_LEVEL_2M;
	uint64_t data0, pa;

	(void)state;
	machine_up();
	data0 = mem_free_pages(false);
	client_start(0, 1024);	/* 4 MiB at MAP_BASE: two whole 2 MiB pages */
	touch(0, 0, true);
	pa = simhost_frame_of(sims[0].c, MAP_BASE);
	assert_int_equal(pager_frame(pa)->order != 0, two_mib);
	for (long page = 0; page < 512; page += 511)
		assert_int_equal(wire(0, page, 1, 0), two_mib ? -ERR_INVAL : 0);
	assert_int_equal(wire(0, 1, 4, 0), two_mib ? -ERR_INVAL : 0);
	assert_int_equal(pager_wired, two_mib ? 0 : 6);
	client_end(0);
	assert_int_equal(pager_wired, 0);
	assert_int_equal(mem_check(), 0);
	assert_int_equal(mem_free_pages(false), data0);
}

/* PAGER_WIRE while every frame left is still being written (the live
 * pager's writes in flight; the host's end at once, so there it has a
 * frame): it takes one more page than the host would rather than fail
 * with -ERR_NOMEM. */
static void test_wire_writes_in_flight(void **state)
{
	uint64_t data0 = mem_free_pages(false), p;

	(void)state;
	client_start(0, 2 * data0);
	simhost_defer_io(true);
	for (p = 0; p < 2 * data0; p++) {	/* until its fault waits for the writes */
		uint64_t va = MAP_BASE + (p << PAGE_SHIFT);

		assert_int_equal(simhost_fault(sims[0].c, va, FAULT_WRITE), 0);
		if (!simhost_frame_of(sims[0].c, va))
			break;
		touch(0, p, true);
	}
	assert_true(p < 2 * data0);
	assert_true(simhost_io_pending() > 0);
	assert_int_equal(mem_free_pages(false), 0);
	client_start(1, 8);
	assert_int_equal(wire(1, 0, 1, 0), 0);
	assert_int_equal(sims[1].c->wired, 1);
	check_frames();
	client_end(1);
	client_end(0);
	while (simhost_io_pending())
		simhost_io_finish(0);
	simhost_defer_io(false);
	check_frames();
	assert_int_equal(mem_free_pages(false), data0);
	assert_int_equal(swap_area.used, 0);
}

/* The block driver dies with a job on each I/O area and write jobs queued
 * for an area, and no new one comes (init's restarts used up; on the target
 * test=kill-blk-for-good, which meets the queue only by chance): the jobs on
 * it fail, the queued ones wait for a new blk, then fail when none comes,
 * and every page of theirs goes back to its client, mapped and intact.
 * Client 0 (the largest, so never throttled for the other) swaps a page in,
 * whose read holds an entry of one area; then, with watermarks as large
 * as the default machine's relative to the data frames are small, client
 * 1 zero-fills until a pass writes more than one job: one takes the other
 * area, the rest queue. Last: swap stays gone, the watermarks changed. */
static void test_blk_gone_queued(void **state)
{
	uint64_t data0 = mem_free_pages(false), p;
	unsigned long errors0 = pager_count.io_errors, drops, evictions;
	unsigned queued;

	(void)state;
	client_start(0, 2 * data0);
	for (p = 0; p < 2 * data0; p++)	/* most of it goes to swap */
		touch(0, p, true);
	simhost_defer_io(true);
	for (p = 0; p < 2 * data0 && !simhost_io_pending(); p++) {	/* a read out */
		uint64_t va = MAP_BASE + (p << PAGE_SHIFT);

		if (simhost_frame_of(sims[0].c, va))
			continue;
		assert_int_equal(simhost_fault(sims[0].c, va, FAULT_READ), 0);
		assert_int_equal(simhost_frame_of(sims[0].c, va), 0);	/* its read is out */
	}
	assert_int_equal(simhost_io_pending(), 1);
	swap_set_watermarks(data0 / 4, data0 / 2);	/* a pass of hundreds of pages */
	client_start(1, data0);
	drops = pager_count.clean_drops;
	evictions = pager_count.evictions;
	for (p = 0; p < data0; p++) {	/* until a write job queues */
		uint64_t va = MAP_BASE + (p << PAGE_SHIFT);

		assert_int_equal(simhost_fault(sims[1].c, va, FAULT_WRITE), 0);
		if (!simhost_frame_of(sims[1].c, va))
			fail_msg("page %lu: its fault waits (%u jobs out, %u queued)",
				 (unsigned long)p, simhost_io_pending(), swap_io_queued());
		touch(1, p, true);	/* (mapped: no fault) its stamp */
		if (swap_io_queued())
			break;
	}
	queued = swap_io_queued();
	drops = pager_count.clean_drops - drops;
	evictions = pager_count.evictions - evictions;
	if (!queued) {	/* only a policy that cleans its pages itself, in its passes */
		assert_true(2 * drops > evictions);
		print_message("# the policy cleaned its dirty pages itself (pager_page_clean, "
			      "WSClock): %lu of %lu evictions clean drops, no batch to queue; "
			      "not applicable\n", drops, evictions);
		client_end(0);
		client_end(1);
		while (simhost_io_pending())
			simhost_io_finish(0);
		simhost_defer_io(false);
		check_frames();
		return;
	}
	print_message("# %lu pages zero-filled, %u write jobs queued behind a read and a write\n",
		      (unsigned long)p + 1, queued);
	assert_true(queued > 0);
	assert_int_equal(simhost_io_pending(), 2);
	simhost_blk_die();
	simhost_io_finish(1);	/* the write job's call ends: blk is lost */
	assert_int_equal(swap_io_queued(), queued);	/* they wait for a new blk */
	assert_true(swap_io_busy());
	assert_int_equal(swap_blk_again(-1), 0);	/* none comes */
	assert_int_equal(swap_io_queued(), 0);
	assert_true(swap_io_busy());	/* the read's call has not ended yet */
	simhost_io_finish(0);	/* it ends after "swap is gone": its frames stay out */
	assert_false(swap_io_busy());
	assert_true(pager_count.io_errors > errors0);
	check_frames();
	for (uint64_t k = 0; k <= p; k++) {	/* every page back, as written */
		if (!simhost_frame_of(sims[1].c, MAP_BASE + (k << PAGE_SHIFT)))
			fail_msg("page %lu: not back with its client", (unsigned long)k);
		touch(1, k, false);
	}
	assert_int_equal(sims[1].c->pages, p + 1);
	client_end(0);
	client_end(1);
	simhost_defer_io(false);
	check_frames();
	assert_int_equal(swap_area.used, 0);
	assert_int_equal(swap_check(&swap_area), 0);
	/* the frames the read was reading into stay out of use: the device
	 * may still write them, and no new driver resets it */
	assert_true(mem_free_pages(false) < data0 &&
		    mem_free_pages(false) >= data0 - BLK_SEGS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_events),
		cmocka_unit_test(test_random_events_io_later),
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_wire_pressure),
		cmocka_unit_test(test_wire_2m),
		cmocka_unit_test(test_wire_writes_in_flight),
		cmocka_unit_test(test_blk_gone_queued),	/* last: swap is gone after it */
	};

	const struct CMUnitTest no_eviction[] = {	/* pager-huge: nothing to page */
		cmocka_unit_test(test_wire_2m),
	};

	pager_pol = &pager_policy;
	if (!pager_policy.choose_victim)
		return cmocka_run_group_tests(no_eviction, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
