/* SPDX-License-Identifier: MIT */
#include <faultline/cpio.h>
#include <faultline/errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Field indexes in the header after the magic (each 8 hex digits). */
enum { CPIO_F_MODE = 1, CPIO_F_FILESIZE = 6, CPIO_F_NAMESIZE = 11, CPIO_FIELDS = 13 };

/* cpio_field: field @i of the header at @h; false if it is not 8 hex digits. */
static bool cpio_field(const char *h, unsigned i, uint32_t *out)
{
	const char *p = h + 6 + 8 * i;
	uint32_t v = 0;

	for (unsigned k = 0; k < 8; k++) {
		char c = p[k];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *e)
{
	const char *a = archive, *h = a + *offset;
	uint32_t namesize, filesize;
	size_t name_end, data_end;

	if (*offset > len || len - *offset < CPIO_HEADER_SIZE || memcmp(h, CPIO_MAGIC, 6))
		return -ERR_INVAL;
	if (!cpio_field(h, CPIO_F_FILESIZE, &filesize) ||
	    !cpio_field(h, CPIO_F_NAMESIZE, &namesize))
		return -ERR_INVAL;
	if (namesize == 0 || namesize > CPIO_NAME_MAX + 1)
		return -ERR_INVAL;
	name_end = *offset + CPIO_HEADER_SIZE + namesize;
	if (name_end > len || a[name_end - 1] != '\0' ||
	    memchr(h + CPIO_HEADER_SIZE, '\0', namesize - 1))
		return -ERR_INVAL;
	name_end += cpio_pad(CPIO_HEADER_SIZE + namesize);
	if (name_end > len || filesize > len - name_end)
		return -ERR_INVAL;
	data_end = name_end + filesize;
	e->name = h + CPIO_HEADER_SIZE;
	e->data = a + name_end;
	e->size = filesize;
	*offset = data_end + cpio_pad(filesize);
	return strcmp(e->name, CPIO_TRAILER) ? 1 : 0;
}

int cpio_find(const void *archive, size_t len, const char *name, struct cpio_entry *e)
{
	size_t offset = 0;
	int ret;

	while ((ret = cpio_next(archive, len, &offset, e)) == 1)
		if (!strcmp(e->name, name))
			return 0;
	return ret ? ret : -ERR_NOENT;
}

size_t cpio_header(char out[CPIO_HEADER_SIZE + 1], uint32_t ino, uint32_t mode,
		   uint32_t size, uint32_t namesize)
{
	/* ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check */
	snprintf(out, CPIO_HEADER_SIZE + 1,
		 CPIO_MAGIC "%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)ino, (unsigned)mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
		 (unsigned)namesize, 0u);
	return CPIO_HEADER_SIZE;
}
