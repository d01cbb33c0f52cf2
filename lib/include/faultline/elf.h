/* SPDX-License-Identifier: MIT */
/*
 * Checking an ELF64 executable before loading it (System V ABI "ELF-64 Object
 * File Format" 1.5; RISC-V ELF psABI). Pure C: shared by the kernel (the root
 * task), init and the pager (the servers they start), and the host unit tests.
 */
#ifndef FAULTLINE_ELF_H
#define FAULTLINE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
	uint64_t vaddr;		/* page aligned */
	uint64_t memsz;		/* rounded up to whole pages */
	uint64_t offset;	/* of the file bytes, page aligned like vaddr */
	uint64_t filesz;	/* bytes from the file; the rest is zero */
	uint64_t file_skip;	/* bytes between vaddr and the first file byte */
	bool read, write, exec;
};

struct elf_image {
	uint64_t entry;
	unsigned nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * elf_check: validate the @size-byte ELF at @image for loading into a user
 * address space that ends at @user_top, and describe its PT_LOAD segments.
 * Returns 0, or -ERR_INVAL with @why set to the reason: not ELF64/little
 * endian/RISC-V/ET_EXEC, program headers outside the file, a segment that is
 * writable and executable, misaligned, overlapping another, larger in the file
 * than in memory, reaching outside the file or above @user_top (or page 0),
 * more than ELF_MAX_SEGMENTS, or an entry point outside every executable
 * segment.
 */
int elf_check(const void *image, size_t size, uint64_t user_top, struct elf_image *out,
	      const char **why);

#endif
