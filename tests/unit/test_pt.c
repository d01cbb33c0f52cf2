/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the page-table walker (arch/riscv/pt.c) and the PTE encoding
 * (arch/pte.h) in Sv39, Sv48 and Sv57. Tables live in a host arena that plays
 * physical memory from ARENA_PA up; pt_virt_offset maps one onto the other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arch/pt.h>
#include <faultline/errno.h>

#define ARENA_PA	0x80000000ul
#define ARENA_PAGES	64

static uint8_t *arena;
static unsigned arena_used;
static unsigned arena_limit;	/* tables the allocator may still hand out */

static paddr_t arena_alloc(void *ctx)
{
	(void)ctx;
	if (arena_used == ARENA_PAGES || arena_limit == 0)
		return 0;
	arena_limit--;
	memset(arena + arena_used * PAGE_SIZE, 0, PAGE_SIZE);
	return ARENA_PA + PAGE_SIZE * arena_used++;
}

static const struct pt_alloc alloc = { arena_alloc, NULL };

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
	if (!arena)
		return -1;
	arena_used = 0;
	arena_limit = ARENA_PAGES;
	pt_virt_offset = (uintptr_t)arena - ARENA_PA;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

/* new_root: a fresh empty root table. */
static paddr_t new_root(void)
{
	paddr_t root = arena_alloc(NULL);

	assert_true(root != 0);
	return root;
}

static const struct pt_mode *const modes[] = { &pt_sv39, &pt_sv48, &pt_sv57 };

static void test_pte_encode_decode(void **state)
{
	(void)state;
	const paddr_t pas[] = { 0, 0x80200000, 0x3ffffffffff000, 0xfffffffffff000 };

	for (size_t i = 0; i < sizeof(pas) / sizeof(pas[0]); i++) {
		pte_t pte = pte_make(pas[i], PTE_R | PTE_W | PTE_A | PTE_D);

		assert_int_equal(pte_pa(pte), pas[i]);
		assert_int_equal(pte_flags(pte), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
		assert_true(pte_is_leaf(pte));
		assert_false(pte_is_table(pte));
	}
	/* spec figure 4.21: PPN starts at bit 10 */
	assert_int_equal(pte_make(0x80200000, PTE_R), (0x80200ul << 10) | PTE_R | PTE_V);
	assert_true(pte_is_table(pte_table(0x1000)));
	assert_false(pte_is_leaf(pte_table(0x1000)));
	assert_false(pte_valid(0));
	/* bits outside the flag field never leak into a PTE */
	assert_int_equal(pte_flags(pte_make(0, ~0ul)), PTE_FLAG_MASK);
}

static void test_canonical(void **state)
{
	(void)state;
	assert_true(pt_canonical(&pt_sv39, 0x3fffffffff));
	assert_false(pt_canonical(&pt_sv39, 0x4000000000));
	assert_true(pt_canonical(&pt_sv39, 0xffffffc000000000));
	assert_false(pt_canonical(&pt_sv39, 0xffffffbfffffffff));
	assert_true(pt_canonical(&pt_sv48, 0x7fffffffffff));
	assert_false(pt_canonical(&pt_sv48, 0x800000000000));
	assert_true(pt_canonical(&pt_sv48, 0xffff800000000000));
	assert_true(pt_canonical(&pt_sv57, 0xffffffffffffff));
	assert_false(pt_canonical(&pt_sv57, 0x100000000000000));
	/* the kernel's layout is canonical in every mode */
	for (size_t i = 0; i < 3; i++) {
		assert_true(pt_canonical(modes[i], 0xffffffc000000000));
		assert_true(pt_canonical(modes[i], 0xffffffff80200000));
	}
}

static void test_mode_lookup(void **state)
{
	(void)state;
	assert_ptr_equal(pt_mode_by_bits(39), &pt_sv39);
	assert_ptr_equal(pt_mode_by_bits(48), &pt_sv48);
	assert_ptr_equal(pt_mode_by_bits(57), &pt_sv57);
	assert_null(pt_mode_by_bits(40));
	assert_ptr_equal(pt_mode_by_satp(9), &pt_sv48);
	assert_null(pt_mode_by_satp(0));
	assert_int_equal(pt_sv39.levels, 3);
	assert_int_equal(pt_sv48.levels, 4);
	assert_int_equal(pt_sv57.levels, 5);
}

static void test_index_and_sizes(void **state)
{
	(void)state;
	/* Sv39 root index of the direct map base and of the kernel image */
	assert_int_equal(pt_index(0xffffffc000000000, 2), 256);
	assert_int_equal(pt_index(0xffffffff80200000, 2), 510);
	assert_int_equal(pt_index(0xffffffff80200000, 1), 1);
	assert_int_equal(pt_index(0xffffffff80200000, 0), 0);
	/* Sv48: the whole kernel half sits in root entry 511 */
	assert_int_equal(pt_index(0xffffffc000000000, 3), 511);
	assert_int_equal(pt_level_size(0), 4096);
	assert_int_equal(pt_level_size(1), 2ul << 20);
	assert_int_equal(pt_level_size(2), 1ul << 30);
	assert_int_equal(pt_level_size(3), 512ul << 30);
}

/* A 4 KiB page needs one table per level below the root, in every mode. */
static void test_map_4k_every_mode(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct pt_mode *m = modes[i];
		paddr_t root = new_root();
		unsigned before = arena_used;
		vaddr_t va = 0x12345000;
		struct pt_translation t;

		assert_int_equal(pt_map(m, root, va, 0x87654000, 0, PTE_R | PTE_W | PTE_U, &alloc), 0);
		assert_int_equal(arena_used - before, m->levels - 1);
		t = pt_translate(m, root, va + 0x123);
		assert_int_equal(t.err, 0);
		assert_int_equal(t.pa, 0x87654123);
		assert_int_equal(t.level, 0);
		assert_int_equal(t.flags, PTE_V | PTE_R | PTE_W | PTE_U);
		/* neighbours stay unmapped */
		assert_int_equal(pt_translate(m, root, va + PAGE_SIZE).err, -ERR_NOENT);
		assert_int_equal(pt_translate(m, root, va - PAGE_SIZE).err, -ERR_NOENT);
		/* a second page in the same last-level table needs no new table */
		before = arena_used;
		assert_int_equal(pt_map(m, root, va + PAGE_SIZE, 0x1000, 0, PTE_R, &alloc), 0);
		assert_int_equal(arena_used, before);
	}
}

static void test_superpages(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct pt_mode *m = modes[i];
		paddr_t root = new_root();
		struct pt_translation t;

		/* 2 MiB */
		assert_int_equal(pt_map(m, root, 0x40200000, 0x80400000, 1, PTE_R | PTE_X, &alloc), 0);
		t = pt_translate(m, root, 0x40200000 + 0x1fffff);
		assert_int_equal(t.err, 0);
		assert_int_equal(t.level, 1);
		assert_int_equal(t.pa, 0x80400000 + 0x1fffff);
		/* 1 GiB in the kernel half */
		assert_int_equal(pt_map(m, root, 0xffffffc080000000, 0x80000000, 2, PTE_R | PTE_W,
					&alloc), 0);
		t = pt_translate(m, root, 0xffffffc080000000 + 0x3ffff123);
		assert_int_equal(t.err, 0);
		assert_int_equal(t.level, 2);
		assert_int_equal(t.pa, 0x80000000 + 0x3ffff123);
		/* a 4 KiB map inside either superpage collides */
		assert_int_equal(pt_map(m, root, 0x40201000, 0x1000, 0, PTE_R, &alloc), -ERR_EXIST);
		assert_int_equal(pt_map(m, root, 0xffffffc080001000, 0x1000, 0, PTE_R, &alloc),
				 -ERR_EXIST);
	}
}

/* Sv48 can map 512 GiB with one root entry; Sv39 has no such level. */
static void test_root_level_superpage(void **state)
{
	(void)state;
	paddr_t root = new_root();
	struct pt_translation t;

	assert_int_equal(pt_map(&pt_sv48, root, 0, 0, 3, PTE_R, &alloc), 0);
	t = pt_translate(&pt_sv48, root, 0x7fffffffff);
	assert_int_equal(t.err, 0);
	assert_int_equal(t.level, 3);
	assert_int_equal(t.pa, 0x7fffffffff);
	assert_int_equal(pt_map(&pt_sv39, new_root(), 0, 0, 3, PTE_R, &alloc), -ERR_RANGE);
}

static void test_map_errors_change_nothing(void **state)
{
	(void)state;
	const struct pt_mode *m = &pt_sv48;
	paddr_t root = new_root();
	unsigned before = arena_used;
	pte_t *rootp = pt_table_ptr(root);

	assert_int_equal(pt_map(m, root, 0x1001, 0x1000, 0, PTE_R, &alloc), -ERR_ALIGN);
	assert_int_equal(pt_map(m, root, 0x1000, 0x1800, 0, PTE_R, &alloc), -ERR_ALIGN);
	assert_int_equal(pt_map(m, root, 0x201000, 0x200000, 1, PTE_R, &alloc), -ERR_ALIGN);
	assert_int_equal(pt_map(m, root, 0x800000000000, 0x1000, 0, PTE_R, &alloc), -ERR_RANGE);
	assert_int_equal(pt_map(m, root, 0x1000, 1ul << 56, 0, PTE_R, &alloc), -ERR_RANGE);
	assert_int_equal(pt_map(m, root, 0x1000, 0x1000, 4, PTE_R, &alloc), -ERR_RANGE);
	assert_int_equal(pt_map(m, root, 0x1000, 0x1000, 0, PTE_W, &alloc), -ERR_INVAL);
	assert_int_equal(pt_map(m, root, 0x1000, 0x1000, 0, PTE_U, &alloc), -ERR_INVAL);
	assert_int_equal(arena_used, before);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		assert_int_equal(rootp[i], 0);
}

static void test_map_exist_and_nomem(void **state)
{
	(void)state;
	const struct pt_mode *m = &pt_sv39;
	paddr_t root = new_root();

	assert_int_equal(pt_map(m, root, 0x200000, 0x1000, 0, PTE_R, &alloc), 0);
	/* the same page again */
	assert_int_equal(pt_map(m, root, 0x200000, 0x2000, 0, PTE_R, &alloc), -ERR_EXIST);
	/* a 2 MiB page over the table that holds it */
	assert_int_equal(pt_map(m, root, 0x200000, 0x400000, 1, PTE_R, &alloc), -ERR_EXIST);
	/* the original mapping is intact */
	assert_int_equal(pt_translate(m, root, 0x200000).pa, 0x1000);
	/* no tables left: a map that needs one fails with -ERR_NOMEM */
	arena_limit = 0;
	assert_int_equal(pt_map(m, root, 0x40000000, 0x1000, 0, PTE_R, &alloc), -ERR_NOMEM);
	assert_int_equal(pt_map(m, root, 0x40000000, 0x1000, 0, PTE_R, NULL), -ERR_NOMEM);
	assert_int_equal(pt_translate(m, root, 0x40000000).err, -ERR_NOENT);
	/* but one that needs none still works */
	assert_int_equal(pt_map(m, root, 0x201000, 0x3000, 0, PTE_R, &alloc), 0);
}

/* pt_map_range uses the largest page that alignment and size allow. */
static void test_map_range_largest_pages(void **state)
{
	(void)state;
	const struct pt_mode *m = &pt_sv48;
	paddr_t root = new_root();
	struct pt_map_stats stats = { { 0 } };
	/* 0x3ff000: 1 x 4K to reach 2M alignment... then 2M pages to 1G, 1G pages,
	 * then 2M and 4K pages for the tail */
	vaddr_t va = 0xffffffc000000000 + 0x3ffff000;
	paddr_t pa = 0x3ffff000;
	uint64_t size = 0x1000 + (2ul << 30) + (4ul << 20) + 0x3000;

	assert_int_equal(pt_map_range(m, root, va, pa, size, 4, PTE_R | PTE_W, &alloc, &stats), 0);
	assert_int_equal(stats.pages[0], 1 + 3);
	assert_int_equal(stats.pages[1], 2);
	assert_int_equal(stats.pages[2], 2);
	for (uint64_t off = 0; off < size; off += 0x1000) {
		struct pt_translation t = pt_translate(m, root, va + off);

		assert_int_equal(t.err, 0);
		assert_int_equal(t.pa, pa + off);
	}
	assert_int_equal(pt_translate(m, root, va + size).err, -ERR_NOENT);
	assert_int_equal(pt_translate(m, root, va - 0x1000).err, -ERR_NOENT);
	/* max_level caps the page size */
	memset(&stats, 0, sizeof(stats));
	assert_int_equal(pt_map_range(m, new_root(), 0, 0, 4ul << 20, 0, PTE_R, &alloc, &stats), 0);
	assert_int_equal(stats.pages[0], 1024);
	assert_int_equal(stats.pages[1], 0);
	assert_int_equal(pt_map_range(m, root, 0x1000, 0x1000, 0x800, 4, PTE_R, &alloc, NULL),
			 -ERR_ALIGN);
}

/* pt_walk stops at the requested level, at a leaf, or at an invalid entry. */
static void test_walk_stops(void **state)
{
	(void)state;
	const struct pt_mode *m = &pt_sv48;
	paddr_t root = new_root();
	struct pt_slot s;

	s = pt_walk(m, root, 0x1000, 0);
	assert_int_equal(s.err, 0);
	assert_int_equal(s.level, 3);	/* the root entry is invalid */
	assert_ptr_equal(s.pte, pt_table_ptr(root));
	assert_int_equal(pt_map(m, root, 0x200000, 0x200000, 1, PTE_R, &alloc), 0);
	s = pt_walk(m, root, 0x200000, 0);
	assert_int_equal(s.level, 1);	/* stopped at the 2 MiB leaf */
	assert_true(pte_is_leaf(*s.pte));
	s = pt_walk(m, root, 0x200000, 2);
	assert_int_equal(s.level, 2);
	assert_true(pte_is_table(*s.pte));
	assert_int_equal(pt_walk(m, root, 0x800000000000, 0).err, -ERR_RANGE);
	assert_int_equal(pt_walk(m, root, 0, 4).err, -ERR_RANGE);
}

/* A superpage whose PPN is not aligned to its size faults (spec 4.3.2 step 6). */
static void test_misaligned_superpage(void **state)
{
	(void)state;
	paddr_t root = new_root();
	struct pt_slot s;

	assert_int_equal(pt_map(&pt_sv39, root, 0x200000, 0x200000, 1, PTE_R, &alloc), 0);
	s = pt_walk(&pt_sv39, root, 0x200000, 1);
	*s.pte = pte_make(0x201000, PTE_R);	/* corrupt it by hand */
	assert_int_equal(pt_translate(&pt_sv39, root, 0x200000).err, -ERR_ALIGN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pte_encode_decode),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_mode_lookup),
		cmocka_unit_test(test_index_and_sizes),
		cmocka_unit_test_setup_teardown(test_map_4k_every_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_superpages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_level_superpage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_errors_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_exist_and_nomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_range_largest_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_superpage, setup, teardown),
	};

	return cmocka_run_group_tests_name("pt", tests, NULL, NULL);
}
