/* SPDX-License-Identifier: MIT */
#include <faultline/elf.h>

#include <faultline/errno.h>
#include <string.h>

/* ELF-64 header and program header (gABI), as laid out in the file. */
struct elf64_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define EI_CLASS	4
#define EI_DATA		5
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_RISCV	243
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define ELF_PAGE	4096ul

static int elf_fail(const char **why, const char *reason)
{
	*why = reason;
	return -ERR_INVAL;
}

/* elf_segment_from: check one PT_LOAD header and describe it in @seg. */
static int elf_segment_from(const struct elf64_phdr *ph, size_t size, uint64_t user_top,
			    struct elf_segment *seg, const char **why)
{
	uint64_t skip = ph->p_vaddr & (ELF_PAGE - 1);

	if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return elf_fail(why, "a segment is writable and executable (W^X)");
	if ((ph->p_offset & (ELF_PAGE - 1)) != skip)
		return elf_fail(why, "a segment's file offset and address disagree modulo the page");
	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(why, "a segment is larger in the file than in memory");
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return elf_fail(why, "a segment reaches past the end of the file");
	/* both operands are below 2^57 once checked, so the sums cannot wrap */
	if (ph->p_vaddr < ELF_PAGE || ph->p_vaddr > user_top || ph->p_memsz > user_top)
		return elf_fail(why, "a segment lies outside user space");
	seg->vaddr = ph->p_vaddr - skip;
	seg->memsz = (ph->p_memsz + skip + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
	if (seg->vaddr + seg->memsz > user_top)
		return elf_fail(why, "a segment lies outside user space");
	seg->offset = ph->p_offset - skip;
	seg->file_skip = skip;
	seg->filesz = ph->p_filesz;
	seg->read = ph->p_flags & PF_R;
	seg->write = ph->p_flags & PF_W;
	seg->exec = ph->p_flags & PF_X;
	return 0;
}

/* elf_overlaps: true if @seg shares a page with one of the first @n in @img. */
static bool elf_overlaps(const struct elf_image *img, unsigned n, const struct elf_segment *seg)
{
	for (unsigned i = 0; i < n; i++) {
		const struct elf_segment *o = &img->segments[i];

		if (seg->vaddr < o->vaddr + o->memsz && o->vaddr < seg->vaddr + seg->memsz)
			return true;
	}
	return false;
}

int elf_check(const void *image, size_t size, uint64_t user_top, struct elf_image *out,
	      const char **why)
{
	struct elf64_ehdr eh;
	bool entry_ok = false;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(eh))
		return elf_fail(why, "shorter than an ELF header");
	memcpy(&eh, image, sizeof(eh));
	if (memcmp(eh.e_ident, "\177ELF", 4) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_fail(why, "not a little-endian ELF64 file");
	if (eh.e_type != ET_EXEC || eh.e_machine != EM_RISCV)
		return elf_fail(why, "not a RISC-V executable (ET_EXEC, EM_RISCV)");
	if (eh.e_phentsize != sizeof(struct elf64_phdr) || eh.e_phoff > size ||
	    (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr) > size - eh.e_phoff)
		return elf_fail(why, "program headers outside the file");
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		struct elf_segment seg;
		int err;

		memcpy(&ph, (const char *)image + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (out->nsegments == ELF_MAX_SEGMENTS)
			return elf_fail(why, "too many loadable segments");
		err = elf_segment_from(&ph, size, user_top, &seg, why);
		if (err)
			return err;
		if (elf_overlaps(out, out->nsegments, &seg))
			return elf_fail(why, "two segments share a page");
		if (seg.exec && eh.e_entry >= ph.p_vaddr && eh.e_entry < ph.p_vaddr + ph.p_memsz)
			entry_ok = true;
		out->segments[out->nsegments++] = seg;
	}
	if (!entry_ok)
		return elf_fail(why, "the entry point is not in an executable segment");
	out->entry = eh.e_entry;
	return 0;
}
