/* SPDX-License-Identifier: MIT */
/*
 * The boot archive: a CPIO "newc" archive (the format of Linux initramfs, see
 * Linux Documentation/driver-api/early-userspace/buffer-format.rst). Each entry
 * is a 110-byte ASCII header, the NUL-terminated name, padding to 4 bytes, the
 * data, padding to 4 bytes. The archive ends with an entry named "TRAILER!!!".
 *
 *   "070701" ino mode uid gid nlink mtime filesize devmajor devminor
 *            rdevmajor rdevminor namesize check     (13 fields, 8 hex digits)
 *
 * The reader (kernel) and the writer (tools/mkcpio, host) share this code.
 */
#ifndef FAULTLINE_CPIO_H
#define FAULTLINE_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE	110
#define CPIO_MAGIC		"070701"
#define CPIO_TRAILER		"TRAILER!!!"
#define CPIO_MODE_FILE		0100644
#define CPIO_NAME_MAX		255

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	const void *data;
	size_t size;
};

/*
 * cpio_next: read the entry at *@offset of the @len-byte @archive into @e and
 * advance *@offset past it. Returns 1 for an entry, 0 at the trailer, or
 * -ERR_INVAL for a malformed header (bad magic, a field that
 * is not hex, a name without NUL or too long, data running past @len).
 */
int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *e);

/* cpio_find: the entry named @name; 0, -ERR_NOENT, or -ERR_INVAL if malformed. */
int cpio_find(const void *archive, size_t len, const char *name, struct cpio_entry *e);

/* cpio_header: format a newc header for a regular file; returns CPIO_HEADER_SIZE. */
size_t cpio_header(char out[CPIO_HEADER_SIZE + 1], uint32_t ino, uint32_t mode,
		   uint32_t size, uint32_t namesize);

/* cpio_pad: bytes of padding after @n bytes to reach a multiple of 4. */
static inline size_t cpio_pad(size_t n)
{
	return (4 - (n & 3)) & 3;
}

#endif
