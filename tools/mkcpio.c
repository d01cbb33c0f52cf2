/* SPDX-License-Identifier: MIT */
/*
 * mkcpio: build Faultline's boot archive, a CPIO newc archive.
 *   mkcpio -o ARCHIVE [-a BASE] NAME=FILE...
 * Each NAME=FILE adds FILE's contents as entry NAME (e.g. init=servers/init.elf).
 * -a BASE first copies every entry of the archive BASE (tools/faultline run
 * --replay adds a reference string to the boot archive this way).
 */
#include <faultline/cpio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: mkcpio -o ARCHIVE [-a BASE] NAME=FILE...\n");
	return 64;
}

/* read_file: the whole of @path, malloc'ed; NULL (with a message) on failure. */
static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		free(buf);
		buf = NULL;
	} else {
		*size = (size_t)n;
	}
	if (f)
		fclose(f);
	return buf;
}

/* put_entry: write one entry (header, name, data, paddings) to @out. */
static int put_entry(FILE *out, uint32_t ino, uint32_t mode, const char *name,
		     const char *data, size_t size)
{
	static const char zeros[4];
	char header[CPIO_HEADER_SIZE + 1];
	size_t namesize = strlen(name) + 1;

	cpio_header(header, ino, mode, (uint32_t)size, (uint32_t)namesize);
	if (fwrite(header, 1, CPIO_HEADER_SIZE, out) != CPIO_HEADER_SIZE ||
	    fwrite(name, 1, namesize, out) != namesize ||
	    fwrite(zeros, 1, cpio_pad(CPIO_HEADER_SIZE + namesize), out) !=
		    cpio_pad(CPIO_HEADER_SIZE + namesize) ||
	    (size && fwrite(data, 1, size, out) != size) ||
	    fwrite(zeros, 1, cpio_pad(size), out) != cpio_pad(size))
		return -1;
	return 0;
}

/* given: whether NAME=FILE arguments @argv[@first..@argc) name entry @name. */
static int given(const char *name, int argc, char **argv, int first)
{
	size_t n = strlen(name);

	for (int i = first; i < argc; i++)
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return 1;
	return 0;
}

/* copy_base: put every entry of the archive at @path to @out but those the
 * command line gives anew; 0, or 1 after saying what is wrong. */
static int copy_base(FILE *out, const char *path, int argc, char **argv, int first)
{
	size_t size = 0, off = 0;
	char *base = read_file(path, &size);
	struct cpio_entry e;
	uint32_t ino = 1000;
	int got, status = 0;

	if (!base)
		return 1;
	while (!status && (got = cpio_next(base, size, &off, &e)) == 1)
		if (!given(e.name, argc, argv, first) &&
		    put_entry(out, ino++, CPIO_MODE_FILE, e.name, e.data, e.size))
			status = 1;
	if (!status && got < 0) {
		fprintf(stderr, "mkcpio: %s: not a CPIO newc archive\n", path);
		status = 1;
	}
	free(base);
	return status;
}

int main(int argc, char **argv)
{
	const char *output = NULL, *base = NULL;
	FILE *out;
	int i, first = 3, status = 0;

	if (argc < 4 || strcmp(argv[1], "-o"))
		return usage();
	output = argv[2];
	if (!strcmp(argv[3], "-a")) {
		if (argc < 6 || !strcmp(argv[4], output))
			return usage();	/* (-o would empty it before it is read) */
		base = argv[4];
		first = 5;
	}
	for (i = first; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) > CPIO_NAME_MAX || !eq[1]) {
			fprintf(stderr, "mkcpio: '%s' is not NAME=FILE\n", argv[i]);
			return usage();
		}
	}
	out = fopen(output, "wb");
	if (!out) {
		perror(output);
		return 1;
	}
	if (base)
		status = copy_base(out, base, argc, argv, first);
	for (i = first; i < argc && !status; i++) {
		char name[CPIO_NAME_MAX + 1];
		const char *eq = strchr(argv[i], '=');
		size_t size = 0;
		char *data = read_file(eq + 1, &size);

		memcpy(name, argv[i], (size_t)(eq - argv[i]));
		name[eq - argv[i]] = '\0';
		if (!data || size > UINT32_MAX ||
		    put_entry(out, (uint32_t)i, CPIO_MODE_FILE, name, data, size))
			status = 1;
		free(data);
	}
	if (!status && put_entry(out, 0, 0, CPIO_TRAILER, NULL, 0))
		status = 1;
	if (fclose(out) || status) {
		fprintf(stderr, "mkcpio: writing %s failed\n", output);
		remove(output);
		return 1;
	}
	return 0;
}
