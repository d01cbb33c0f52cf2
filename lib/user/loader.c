/* SPDX-License-Identifier: MIT */
#include "loader.h"

#include <faultline/cpio.h>
#include <faultline/elf.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <string.h>

#include "sys.h"

#define LOADER_POOL_FRAMES 16	/* page-table frames given to the new task */

long frame_take(struct frame_pool *fp)
{
	long off;

	if (fp->next + PAGE_SIZE > fp->size)
		return -1;
	off = (long)fp->next;
	fp->next += PAGE_SIZE;
	return off;
}

/* fill_frame: the frame at @off of @fp, zeroed, with @n bytes of @src at @at. */
static int fill_frame(struct frame_pool *fp, long off, long self, unsigned long scratch,
		      const void *src, size_t at, size_t n)
{
	long err = sys_vm_map(self, scratch, fp->pmem, (unsigned long)off, VM_R | VM_W);

	if (err)
		return (int)err;
	memset((void *)scratch, 0, PAGE_SIZE);
	if (n)
		memcpy((char *)scratch + at, src, n);
	return (int)sys_vm_unmap(self, scratch);
}

/* load_segment: copy and map one segment. */
static int load_segment(const struct elf_segment *seg, const char *file, struct frame_pool *fp,
			long task, long self, unsigned long scratch)
{
	unsigned long perms = (seg->read ? VM_R : 0) | (seg->write ? VM_W | VM_R : 0) |
			      (seg->exec ? VM_X : 0);
	uint64_t file_start = seg->file_skip, file_end = seg->file_skip + seg->filesz;

	for (uint64_t off = 0; off < seg->memsz; off += PAGE_SIZE) {
		uint64_t from = off > file_start ? off : file_start;
		uint64_t to = off + PAGE_SIZE < file_end ? off + PAGE_SIZE : file_end;
		long frame = frame_take(fp);
		int err;

		if (frame < 0)
			return -ERR_NOMEM;
		err = fill_frame(fp, frame, self, scratch, file + seg->offset + from,
				 from - off, from < to ? to - from : 0);
		if (!err)
			err = (int)sys_vm_map(task, seg->vaddr + off, fp->pmem, (unsigned long)frame,
					      perms);
		if (err)
			return err;
	}
	return 0;
}

int load_program(const void *archive, size_t len, const char *name, struct frame_pool *fp,
		 long self, unsigned long scratch, unsigned stack_pages, unsigned long quota,
		 long give, struct loaded *out, const char **why)
{
	struct cpio_entry e;
	struct elf_image img;
	long root, err;

	*why = "not in the boot archive";
	err = cpio_find(archive, len, name, &e);
	if (err)
		return (int)err;
	err = elf_check(e.data, e.size, 1ul << (bootinfo()->va_bits - 1), &img, why);
	if (err)
		return (int)err;
	*why = "out of frames, task slots or quota";
	root = frame_take(fp);
	out->task = root < 0 ? -ERR_NOMEM
			     : sys_task_create_quota(fp->pmem, (unsigned long)root, name, quota);
	if (out->task < 0)
		return (int)out->task;
	for (int i = 0; i < LOADER_POOL_FRAMES; i++) {
		long f = frame_take(fp);

		if (f < 0 || sys_vm_pool_add(out->task, fp->pmem, (unsigned long)f))
			return -ERR_NOMEM;
	}
	*why = "mapping its segments failed";
	for (unsigned i = 0; i < img.nsegments; i++) {
		err = load_segment(&img.segments[i], e.data, fp, out->task, self, scratch);
		if (err)
			return (int)err;
	}
	for (unsigned i = 1; i <= stack_pages; i++) {
		long f = frame_take(fp);

		err = f < 0 ? -ERR_NOMEM : fill_frame(fp, f, self, scratch, NULL, 0, 0);
		if (!err)
			err = sys_vm_map(out->task, INIT_STACK_TOP - i * PAGE_SIZE, fp->pmem,
					 (unsigned long)f, VM_R | VM_W);
		if (err)
			return (int)err;
	}
	out->entry = img.entry;
	out->thread = sys_thread_create_in(out->task, img.entry, INIT_STACK_TOP, 0, give);
	*why = "no thread";
	return out->thread < 0 ? (int)out->thread : 0;
}

int root_setup(const struct bootinfo *bi, unsigned long archive_va, unsigned pool_pages,
	       const struct bootinfo_handle **archive, const struct bootinfo_handle **ram,
	       struct frame_pool *fp)
{
	*archive = *ram = NULL;
	for (unsigned i = 0; i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		if (h->type == HANDLE_PMEM && !strcmp(h->name, BOOTINFO_ARCHIVE))
			*archive = h;
		else if (h->type == HANDLE_PMEM && (!*ram || h->size > (*ram)->size))
			*ram = h;
	}
	if (!*archive || !*ram)
		return -1;
	*fp = (struct frame_pool){ (*ram)->handle, (*ram)->size, 0 };
	for (unsigned i = 0; i < pool_pages; i++)
		sys_vm_pool_add(0, (*ram)->handle, (unsigned long)frame_take(fp));
	for (unsigned long off = 0; off < (*archive)->size; off += PAGE_SIZE)
		sys_vm_map(0, archive_va + off, (*archive)->handle, off, VM_R);
	return 0;
}
