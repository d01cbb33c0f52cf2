/* SPDX-License-Identifier: MIT */
/*
 * init: the root task. It checks that the kernel refuses bad system-call
 * arguments, starts the block driver if the machine has a virtio disk, loads
 * the pager named by pager= from the boot archive, gives it all free RAM, the
 * archive and the block driver (its swap), asks it to run the programs named
 * by run=, waits for them to end, and exits with the first non-zero status;
 * the kernel then shuts down.
 */
#include <faultline/cpio.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>

#include <faultline/blk.h>
#include <faultline/pager_proto.h>
#include <string.h>

#include "blk_start.h"
#include "sys.h"
#include "loader.h"

#define SELF 0
#define ARCHIVE_VA 0x2000000000ul
#define SCRATCH_VA 0x1000000000ul
#define OWN_POOL 8
#define BLK_RESTARTS_MAX 3	/* then the pager goes on without swap */

/* The pager's quota: its own threads (the serve loop and up to 10 I/O
 * threads) and endpoints, and PAGER_CLIENTS_MAX clients with the default
 * quota each (QUOTA_DEFAULT, which the pager gives them: a task, four
 * threads, four endpoints). */
#define PAGER_CLIENTS_MAX 16
#define PAGER_QUOTA QUOTA(PAGER_CLIENTS_MAX, PAGER_CLIENTS_MAX * 4 + 16, PAGER_CLIENTS_MAX * 4 + 8)

/* check: report one expectation; returns 1 if it failed. */
static int check(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("init: FAIL %s: got %ld, want %ld\n", what, got, want);
	return 1;
}

/* bad_arguments: calls the kernel must refuse, changing nothing. */
static int bad_arguments(void)
{
	static const char msg[] = "init: a write through the raw system call\n";
	int failed = 0;

	failed += check("debug_write of a kernel address",
			sys_debug_write((void *)0xffffffff80200000ul, 16), -ERR_RANGE);
	failed += check("debug_write of an unmapped address",
			sys_debug_write((void *)0x1000, 16), -ERR_RANGE);
	failed += check("debug_write running off the stack top",
			sys_debug_write((void *)(INIT_STACK_TOP - 8), 16), -ERR_RANGE);
	failed += check("debug_write too long", sys_debug_write(msg, DEBUG_WRITE_MAX + 1),
			-ERR_INVAL);
	failed += check("debug_write wrapping around", sys_debug_write((void *)-8l, 16),
			-ERR_RANGE);
	failed += check("unknown system call", syscall3(SYS_COUNT + 100, 0, 0, 0), -ERR_NOSYS);
	failed += check("exit with status 256", syscall3(SYS_EXIT, 256, 0, 0), -ERR_INVAL);
	failed += check("shutdown with status -1", sys_shutdown(-1), -ERR_INVAL);
	failed += check("null system call", sys_null(), 0);
	failed += check("debug_write", sys_debug_write(msg, sizeof(msg) - 1),
			(long)sizeof(msg) - 1);
	return failed;
}

/* list_programs: print, after @what, the names in the boot archive that start
 * with @prefix ("" for all): what a pager= or run= could have named. */
static void list_programs(const struct bootinfo_handle *archive, const char *what,
			  const char *prefix)
{
	struct cpio_entry e;
	size_t off = 0;

	printf("init: %s:", what);
	while (cpio_next((const void *)ARCHIVE_VA, archive->size, &off, &e) == 1)
		if (!strncmp(e.name, prefix, strlen(prefix)))
			printf(" %s", e.name);
	printf("\n");
}

/* give: one PAGER_GIVE call; 0 or the pager's error. */
static long give(long ep, unsigned long kind, long handle, unsigned long w1, unsigned long w2,
		 unsigned long w3)
{
	struct msg m = { 0, PAGER_GIVE, { kind, w1, w2, w3 }, handle, 0 };

	ipc(SYS_CALL, ep, &m);
	return m.status ? m.status : m.label == PAGER_ERROR ? (long)m.w[0] : 0;
}

/* The pager's task, for test=kill-pager; blk's, for test=kill-blk. */
static long pager_task = -1, blk_task = -1;

/* start_pager: load the pager, hand it everything (@blk: the block driver's
 * endpoint, or negative for none); its endpoint, or an error. */
static long start_pager(const struct bootinfo *bi, const struct bootinfo_handle *archive,
			const struct bootinfo_handle *ram, struct frame_pool *fp, long blk)
{
	struct loaded pg;
	const char *why;
	long ep = sys_endpoint_create(), err;
	struct msg m;

	err = load_program((const void *)ARCHIVE_VA, archive->size, bi->pager, fp, SELF, SCRATCH_VA,
			   4, PAGER_QUOTA, ep, &pg, &why);
	if (err) {
		printf("init: cannot load the pager '%s': %s (%ld)\n", bi->pager, why, err);
		if (err == -ERR_NOENT)
			list_programs(archive, "the pagers in the boot archive", "pager");
		return err;
	}
	sys_thread_start(pg.thread);
	pager_task = pg.task;
	err = give(ep, PAGER_GIVE_SELF, pg.task, 0, 0, 0);
	if (!err)
		err = give(ep, PAGER_GIVE_ARCHIVE, archive->handle, archive->size, 0, 0);
	for (unsigned i = 0; !err && i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		if (h->type == HANDLE_PMEM && h != archive)
			err = give(ep, PAGER_GIVE_RAM, h->handle, h == ram ? fp->next : 0, h->base,
				   h->size);
	}
	if (!err && blk >= 0)
		err = give(ep, PAGER_GIVE_BLK, blk, 0, 0, 0);
	m = (struct msg){ 0, PAGER_READY, { bi->va_bits, bi->pager_frames, 0, 0 }, IPC_NO_HANDLE,
			    0 };
	if (!err)
		ipc(SYS_CALL, ep, &m);
	err = err ? err : m.status ? m.status : m.label == PAGER_ERROR ? (long)m.w[0] : 0;
	if (!err && m.handle < 0)
		err = -ERR_INVAL;	/* no endpoint of its own came with the answer */
	if (err)
		return err;
	sys_handle_close(ep);	/* the pager serves on its own endpoint from now on */
	return m.handle;
}

/* spawn: ask the pager to start @name (a program of @archive); its client
 * id, or -1. */
static long spawn(long ep, const struct bootinfo_handle *archive, const char *name)
{
	long err;

	struct msg m = { 0, PAGER_SPAWN, { 0 }, IPC_NO_HANDLE, 0 };

	if (strlen(name) >= PAGER_NAME_MAX) {	/* cut short it could name another */
		printf("init: '%s': longer than %d characters\n", name, PAGER_NAME_MAX - 1);
		return -ERR_INVAL;
	}
	strncpy((char *)m.w, name, PAGER_NAME_MAX - 1);
	ipc(SYS_CALL, ep, &m);
	if (m.status || m.label == PAGER_ERROR) {
		err = m.status ? m.status : (long)m.w[0];
		printf("init: the pager cannot run '%s' (%ld %s)\n", name, err, err_name((int)err));
		if (err == -ERR_NOENT)
			list_programs(archive, "the programs in the boot archive", "");
		return -1;
	}
	printf("init: %s started\n", name);
	return (long)m.w[0];
}

/* kill_pager: test=kill-pager: let the clients work a while, then destroy
 * the pager (the kernel and init must go on and say what happened). */
static void kill_pager(void)
{
	for (volatile unsigned long spin = 0; spin < 30000000; spin++)
		;
	printf("init: test=kill-pager: destroying the pager\n");
	sys_task_destroy(pager_task);
}

/* blk's endpoint, and the frames of init's pool blk_start took for it: a
 * restarted blk gets the same ones (the pager owns all after them). */
static long blk_ep = -1;
static struct frame_pool blk_frames;

/* blk_killer: test=kill-blk's thread, below everyone's priority: it runs
 * when every other thread waits, which, while a client swaps, is while the
 * disk works on a request of the pager's (blk waits for its interrupt, the
 * pager for blk's answer): so blk dies in the middle of an I/O. Then it
 * waits for good (init's end ends it). */
static void blk_killer(unsigned long arg)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	printf("init: test=kill-blk: destroying the block driver\n");
	sys_task_destroy(blk_task);
	for (long ep = sys_endpoint_create();;)
		ipc(SYS_RECV, ep, &m);
}

/* kill_blk: test=kill-blk: once the block driver has served KILL_BLK_AFTER
 * requests (the clients swap hard by then), start blk_killer: the pager must
 * notice, init start a new blk, nothing be lost. */
#define KILL_BLK_AFTER 3000
static void kill_blk(void)
{
	static unsigned long stack[512] __attribute__((aligned(16)));
	struct msg m;
	long th;

	do {
		for (volatile unsigned long spin = 0; spin < 100000; spin++)
			;
		m = (struct msg){ 0, BLK_STATS, { 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_CALL, blk_ep, &m);
	} while (!m.status && m.label != BLK_ERROR && m.w[0] < KILL_BLK_AFTER);
	th = sys_thread_create_in(SELF, (unsigned long)blk_killer, (unsigned long)(stack + 512), 0,
				  IPC_NO_HANDLE);
	if (th < 0 || sys_thread_priority(th, PRIO_DEFAULT - 1) || sys_thread_start(th))
		printf("init: test=kill-blk: FAIL cannot start the killer thread (%ld)\n", th);
}

/* restart_blk: the pager lost its block driver (PAGER_BLK_LOST): start a new
 * one on the same disk and give it to the pager on @ep; after
 * BLK_RESTARTS_MAX restarts, or if it cannot start, give -1 (the pager's
 * swap is gone then). */
static void restart_blk(long ep, const struct bootinfo_handle *archive)
{
	static unsigned restarts;
	struct frame_pool again = blk_frames;
	long blk = -ERR_AGAIN, err;

	sys_handle_close(blk_task);
	sys_handle_close(blk_ep);
	blk_task = blk_ep = -1;
	if (bootinfo()->init_test == BOOTINFO_TEST_KILL_BLK_FOR_GOOD)
		restarts = BLK_RESTARTS_MAX;	/* as if it had died that often */
	if (restarts++ < BLK_RESTARTS_MAX) {
		printf("init: the block driver is gone; starting it again\n");
		blk = blk_start(bootinfo(), (const void *)ARCHIVE_VA, archive->size, &again, SELF,
				SCRATCH_VA, &blk_task);
	}
	if (blk < 0)
		printf("init: no block driver for the pager (%s): its swap is gone\n",
		       err_name((int)blk));
	err = give(ep, PAGER_GIVE_BLK, blk < 0 ? IPC_NO_HANDLE : blk, 0, 0, 0);
	if (err)
		printf("init: the pager refused the new block driver (%s)\n", err_name((int)err));
	blk_ep = blk;
}

/* run: start every program in @names ("a+b+c", from @archive) and wait for
 * all to end; the first non-zero status, or 0. */
static int run(long ep, const struct bootinfo_handle *archive, const char *names)
{
	char list[sizeof(bootinfo()->run)], *name = list, *plus;
	unsigned running = 0;
	int status = 0;

	strncpy(list, names, sizeof(list) - 1);
	list[sizeof(list) - 1] = '\0';
	do {
		plus = strchr(name, '+');
		if (plus)
			*plus = '\0';
		if (spawn(ep, archive, name) < 0)
			status = status ? status : 1;
		else
			running++;
		name = plus + 1;
	} while (plus);
	if (bootinfo()->init_test == BOOTINFO_TEST_KILL_PAGER)
		kill_pager();
	if (bootinfo()->init_test == BOOTINFO_TEST_KILL_BLK ||
	    bootinfo()->init_test == BOOTINFO_TEST_KILL_BLK_FOR_GOOD)
		kill_blk();
	while (running) {
		struct msg m = { 0, PAGER_WAIT, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_CALL, ep, &m);
		if (m.status) {	/* the pager is gone: its clients went with it */
			printf("init: the pager is gone (%ld %s): %u client%s not accounted for\n",
			       m.status, err_name((int)m.status), running, running == 1 ? "" : "s");
			return status ? status : 1;
		}
		if (m.label == PAGER_BLK_LOST)
			restart_blk(ep, archive);
		if (m.label != PAGER_EXITED)
			continue;
		running--;
		printf("init: client %lu %s with status %lu\n", m.w[0],
		       m.w[2] == PAGER_END_KILLED   ? "was killed"
		       : m.w[2] == PAGER_END_UNTOLD ? "ended without telling the pager,"
						    : "exited",
		       m.w[1]);
		if (!status)
			status = (int)m.w[1];
	}
	return status;
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	const struct bootinfo_handle *archive = NULL, *ram = NULL;
	struct frame_pool fp;
	long ep, blk;
	int failed;

	printf("init: hello from user space\n");
	failed = bad_arguments();
	printf("init: %s\n", failed ? "some system-call checks failed" : "system-call checks passed");
	if (failed)
		return 1;
	if (root_setup(bi, ARCHIVE_VA, OWN_POOL, &archive, &ram, &fp)) {
		printf("init: no boot archive or no RAM among the boot info's handles\n");
		return 1;
	}
	blk_frames = fp;
	blk = blk_start(bi, (const void *)ARCHIVE_VA, archive->size, &fp, SELF, SCRATCH_VA, &blk_task);
	blk_frames.size = fp.next;	/* [next, size): blk's, again on a restart */
	blk_ep = blk;
	if (blk == -ERR_NOENT)
		printf("init: no virtio block device: the pager runs without swap\n");
	ep = start_pager(bi, archive, ram, &fp, blk);
	if (ep < 0)
		return 1;
	return run(ep, archive, bi->run);
}
