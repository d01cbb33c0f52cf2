/* SPDX-License-Identifier: MIT */
/* Host tests of the boot-archive format (lib/shared/cpio.c): writer and reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/cpio.h>
#include <faultline/errno.h>

static char archive[4096];
static size_t archive_len;

/* add: append an entry the way tools/mkcpio does. */
static void add(const char *name, const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	archive_len += cpio_header(archive + archive_len, 1, CPIO_MODE_FILE, (uint32_t)size,
				   (uint32_t)namesize);
	memcpy(archive + archive_len, name, namesize);
	archive_len += namesize;
	archive_len += cpio_pad(CPIO_HEADER_SIZE + namesize);
	memcpy(archive + archive_len, data, size);
	archive_len += size + cpio_pad(size);
}

static int setup(void **state)
{
	(void)state;
	memset(archive, 0, sizeof(archive));
	archive_len = 0;
	add("init", "\177ELF-init", 9);
	add("pager", "pager!", 6);
	add("empty", "", 0);
	add(CPIO_TRAILER, "", 0);
	return 0;
}

static void test_walk(void **state)
{
	struct cpio_entry e;
	size_t off = 0;
	(void)state;

	assert_int_equal(cpio_next(archive, archive_len, &off, &e), 1);
	assert_string_equal(e.name, "init");
	assert_int_equal(e.size, 9);
	assert_memory_equal(e.data, "\177ELF-init", 9);
	assert_int_equal(off % 4, 0);
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), 1);
	assert_string_equal(e.name, "pager");
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), 1);
	assert_string_equal(e.name, "empty");
	assert_int_equal(e.size, 0);
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), 0);	/* trailer */
	assert_int_equal(off, archive_len);
}

static void test_find(void **state)
{
	struct cpio_entry e;
	(void)state;

	assert_int_equal(cpio_find(archive, archive_len, "pager", &e), 0);
	assert_memory_equal(e.data, "pager!", 6);
	assert_int_equal(cpio_find(archive, archive_len, "nope", &e), -ERR_NOENT);
	assert_int_equal(cpio_find(archive, archive_len, "ini", &e), -ERR_NOENT);
}

static void test_malformed(void **state)
{
	struct cpio_entry e;
	size_t off;
	(void)state;

	/* truncated in the middle of the first file's data */
	assert_int_equal(cpio_find(archive, CPIO_HEADER_SIZE + 8 + 4, "pager", &e), -ERR_INVAL);
	/* no trailer: running off the end is an error, not a silent stop */
	assert_int_equal(cpio_find(archive, archive_len - CPIO_HEADER_SIZE - 12, "nope", &e),
			 -ERR_INVAL);
	/* bad magic */
	archive[0] = 'X';
	off = 0;
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), -ERR_INVAL);
	archive[0] = '0';
	/* a size field that is not hex */
	archive[6 + 8 * 6] = 'g';
	off = 0;
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), -ERR_INVAL);
	archive[6 + 8 * 6] = '0';
	/* a file size past the end */
	memcpy(archive + 6 + 8 * 6, "FFFFFFF0", 8);
	off = 0;
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), -ERR_INVAL);
	/* a name without its NUL */
	setup(NULL);
	archive[CPIO_HEADER_SIZE + 4] = 'x';
	off = 0;
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), -ERR_INVAL);
	/* an offset beyond the archive */
	off = archive_len + 4;
	assert_int_equal(cpio_next(archive, archive_len, &off, &e), -ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_walk, setup),
		cmocka_unit_test_setup(test_find, setup),
		cmocka_unit_test_setup(test_malformed, setup),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
