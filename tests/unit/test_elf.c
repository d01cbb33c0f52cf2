/* SPDX-License-Identifier: MIT */
/*
 * Host tests of ELF checking (lib/shared/elf.c) against the real init.elf built for
 * the target, and against copies of it with one defect each.
 * Usage: test_elf INIT.elf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>

#include <faultline/elf.h>

#define SV39_USER_TOP (1ul << 38)

static unsigned char *elf;
static size_t elf_size;
static unsigned char *copy;

/* Offsets in the ELF64 header and program headers (gABI). */
#define E_ENTRY		24
#define E_PHOFF		32
#define E_MACHINE	18
#define PH_SIZE		56
#define P_FLAGS		4
#define P_OFFSET	8
#define P_VADDR		16
#define P_FILESZ	32
#define P_MEMSZ		40

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* phdr: program header @i of the working copy. */
static unsigned char *phdr(unsigned i)
{
	return copy + get64(copy + E_PHOFF) + i * PH_SIZE;
}

static int fresh_copy(void **state)
{
	(void)state;
	memcpy(copy, elf, elf_size);
	return 0;
}

/* expect_reject: elf_check of the working copy fails mentioning @text. */
static void expect_reject(const char *text)
{
	struct elf_image img;
	const char *why = "";

	assert_int_equal(elf_check(copy, elf_size, SV39_USER_TOP, &img, &why), -ERR_INVAL);
	if (!strstr(why, text))
		fail_msg("reason '%s' does not mention '%s'", why, text);
}

static void test_init_elf(void **state)
{
	struct elf_image img;
	const char *why = NULL;
	unsigned exec = 0, writable = 0;
	(void)state;

	assert_int_equal(elf_check(copy, elf_size, SV39_USER_TOP, &img, &why), 0);
	assert_int_equal(img.entry, get64(elf + E_ENTRY));
	assert_true(img.nsegments >= 2);
	for (unsigned i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.segments[i];

		assert_int_equal(s->vaddr % 4096, 0);
		assert_int_equal(s->memsz % 4096, 0);
		assert_true(s->filesz <= s->memsz);
		assert_false(s->write && s->exec);
		exec += s->exec;
		writable += s->write;
	}
	assert_int_equal(exec, 1);
	assert_true(writable >= 1);
}

static void test_not_riscv(void **state)
{
	(void)state;
	copy[E_MACHINE] = 62;	/* EM_X86_64 */
	expect_reject("RISC-V");
	fresh_copy(NULL);
	copy[4] = 1;		/* ELFCLASS32 */
	expect_reject("ELF64");
	fresh_copy(NULL);
	{
		struct elf_image img;
		const char *why;

		assert_int_equal(elf_check(copy, 10, SV39_USER_TOP, &img, &why), -ERR_INVAL);
	}
}

static void test_wx_segment(void **state)
{
	(void)state;
	for (unsigned i = 0;; i++) {
		uint32_t flags;

		memcpy(&flags, phdr(i) + P_FLAGS, 4);
		if (flags & 1) {	/* PF_X: make it writable too */
			flags |= 2;
			memcpy(phdr(i) + P_FLAGS, &flags, 4);
			break;
		}
	}
	expect_reject("W^X");
}

static void test_bad_ranges(void **state)
{
	(void)state;
	put64(phdr(0) + P_FILESZ, get64(phdr(0) + P_MEMSZ) + 1);
	expect_reject("larger in the file");
	fresh_copy(NULL);
	put64(phdr(0) + P_OFFSET, ((elf_size + 4095) & ~4095ul) + (get64(phdr(0) + P_OFFSET) & 4095));
	expect_reject("past the end");
	fresh_copy(NULL);
	put64(phdr(0) + P_VADDR, SV39_USER_TOP);
	put64(phdr(0) + P_OFFSET, get64(phdr(0) + P_OFFSET));	/* still page aligned */
	expect_reject("outside user space");
	fresh_copy(NULL);
	put64(phdr(0) + P_VADDR, 0);
	expect_reject("outside user space");
	fresh_copy(NULL);
	put64(phdr(0) + P_VADDR, get64(phdr(0) + P_VADDR) + 8);
	expect_reject("modulo the page");
	fresh_copy(NULL);
	put64(phdr(1) + P_VADDR, get64(phdr(0) + P_VADDR));
	expect_reject("share a page");
	fresh_copy(NULL);
	put64(copy + E_ENTRY, 0x7000000);
	expect_reject("entry point");
	fresh_copy(NULL);
	put64(copy + E_PHOFF, elf_size - 8);
	expect_reject("program headers");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_elf, fresh_copy),
		cmocka_unit_test_setup(test_not_riscv, fresh_copy),
		cmocka_unit_test_setup(test_wx_segment, fresh_copy),
		cmocka_unit_test_setup(test_bad_ranges, fresh_copy),
	};
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s INIT.elf\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END)) {
		perror(argv[1]);
		return 1;
	}
	elf_size = (size_t)ftell(f);
	rewind(f);
	elf = malloc(elf_size);
	copy = malloc(elf_size);
	if (!elf || !copy || fread(elf, 1, elf_size, f) != elf_size) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
