/* SPDX-License-Identifier: MIT */
/*
 * test-vm (init=test-vm): the boot info and the VM system calls as the root
 * task sees them: page-table pools, 4 KiB / 2 MiB / 1 GiB mappings of pmem
 * frames, device registers, every refusal (with the mapping state checked
 * afterwards), unmap, and the fault path the issue asks for: a thread touches
 * an unmapped page, its handler gets the exact address, cause and pc, writes a
 * value into a frame, maps it there with map-then-reply, and the thread
 * continues and reads the value.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "test-vm"
#include "check.h"
#include "frames.h"
#include "sys.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define SELF 0		/* handle 0: the root task itself */
#define MB (1ul << 20)
#define GB (1ul << 30)


static void test_bootinfo(void)
{
	const struct bootinfo *bi = bootinfo();
	unsigned devices = 0;

	check("boot info magic", bi->magic, BOOTINFO_MAGIC);
	check("handle 0 is the task", bi->handles[0].type, HANDLE_TASK);
	check("va_bits", bi->va_bits == 39 || bi->va_bits == 48 || bi->va_bits == 57, 1);
	frames_from_bootinfo();
	for (unsigned i = 0; i < bi->nhandles; i++)
		devices += bi->handles[i].type == HANDLE_DEVICE &&
			   bi->handles[i].name[0] == 'v';	/* virtio_mmio@... */
	check("a pmem handle", ram != NULL, 1);
	check("8 virtio device handles", devices, 8);
	printf("test-vm: %u handles, largest RAM 0x%lx-0x%lx\n", bi->nhandles, ram->base,
	       ram->base + ram->size);
}

static void fill_pool(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		check("pool_add", sys_vm_pool_add(SELF, ram->handle, frame(4096)), 0);
}

static void test_map_4k(void)
{
	volatile unsigned long *p = (unsigned long *)0x40000000ul;
	unsigned long f = frame(4096);

	check("map without pool frames", sys_vm_map(SELF, 0x40000000, ram->handle, f, VM_R | VM_W),
	      -ERR_POOL);
	fill_pool(8);
	check("map 4K", sys_vm_map(SELF, 0x40000000, ram->handle, f, VM_R | VM_W), 0);
	*p = 0x1234abcd;
	check("write and read back", (long)*p, 0x1234abcd);
	check("the same page again", sys_vm_map(SELF, 0x40000000, ram->handle, f, VM_R), -ERR_EXIST);
	check("a mapped frame into the pool", sys_vm_pool_add(SELF, ram->handle, f), -ERR_DENIED);
	check("same frame at a second address (read-only)",
	      sys_vm_map(SELF, 0x40001000, ram->handle, f, VM_R), 0);
	check("second address sees the value", (long)*(volatile unsigned long *)0x40001000ul,
	      0x1234abcd);
	check("unmap", sys_vm_unmap(SELF, 0x40001000), 0);
	check("unmap again", sys_vm_unmap(SELF, 0x40001000), -ERR_NOENT);
	check("unmap with unknown flags", syscall3(SYS_VM_UNMAP, SELF, 0x40000000, 8), -ERR_INVAL);
	check("map read-only, not touched", sys_vm_map(SELF, 0x40001000, ram->handle, f, VM_R), 0);
	check("unmap reports neither A nor D", sys_vm_unmap_bits(SELF, 0x40001000), 0);
	check("map again, then read", sys_vm_map(SELF, 0x40001000, ram->handle, f, VM_R), 0);
	check("read", (long)*(volatile unsigned long *)0x40001000ul, 0x1234abcd);
	check("unmap reports A only", sys_vm_unmap_bits(SELF, 0x40001000), UNMAP_ACCESSED);
	check("unmap of the written page reports A and D", sys_vm_unmap_bits(SELF, 0x40000000),
	      UNMAP_ACCESSED | UNMAP_DIRTY);
	check("unmap again", sys_vm_unmap_bits(SELF, 0x40000000), -ERR_NOENT);
}

static void test_refusals(void)
{
	unsigned long f = frame(4096);
	long th_handle = -1;

	check("W+X", sys_vm_map(SELF, 0x40002000, ram->handle, f, VM_R | VM_W | VM_X), -ERR_INVAL);
	check("W without R", sys_vm_map(SELF, 0x40002000, ram->handle, f, VM_W), -ERR_INVAL);
	check("no permission", sys_vm_map(SELF, 0x40002000, ram->handle, f, 0), -ERR_INVAL);
	check("unknown flag", sys_vm_map(SELF, 0x40002000, ram->handle, f, VM_R | 0x80), -ERR_INVAL);
	check("misaligned va", sys_vm_map(SELF, 0x40002010, ram->handle, f, VM_R), -ERR_ALIGN);
	check("misaligned offset", sys_vm_map(SELF, 0x40002000, ram->handle, f + 8, VM_R),
	      -ERR_ALIGN);
	check("kernel address", sys_vm_map(SELF, 0xffffffc000000000ul, ram->handle, f, VM_R),
	      -ERR_RANGE);
	check("beyond user space",
	      sys_vm_map(SELF, 1ul << (bootinfo()->va_bits - 1), ram->handle, f, VM_R), -ERR_RANGE);
	check("offset beyond the pmem range",
	      sys_vm_map(SELF, 0x40002000, ram->handle, ram->size, VM_R), -ERR_RANGE);
	check("a task handle as memory", sys_vm_map(SELF, 0x40002000, SELF, 0, VM_R), -ERR_HANDLE);
	check("a bad task handle", sys_vm_map(77, 0x40002000, ram->handle, f, VM_R), -ERR_HANDLE);
	th_handle = sys_handle_mint(ram->handle, RIGHT_READ | RIGHT_MAP, 0);
	check("writable map of a read-only pmem handle",
	      sys_vm_map(SELF, 0x40002000, th_handle, f, VM_R | VM_W), -ERR_DENIED);
	check("read-only map of it", sys_vm_map(SELF, 0x40002000, th_handle, f, VM_R), 0);
	check("over the kernel image", sys_vm_map(SELF, 0x10000, ram->handle, f, VM_R), -ERR_EXIST);
	/* a pool frame may not be mapped */
	{
		unsigned long pf = frame(4096);

		check("pool_add", sys_vm_pool_add(SELF, ram->handle, pf), 0);
		check("pool_add twice", sys_vm_pool_add(SELF, ram->handle, pf), -ERR_DENIED);
		check("map a page-table frame", sys_vm_map(SELF, 0x40003000, ram->handle, pf, VM_R),
		      -ERR_DENIED);
	}
	check("refused maps left nothing mapped", sys_vm_unmap(SELF, 0x40003000), -ERR_NOENT);
}

static void test_superpages(void)
{
	volatile unsigned long *p = (unsigned long *)(0x40400000ul + 2 * MB - 8);
	unsigned long f2m = frame(2 * MB);

	check("map 2M", sys_vm_map(SELF, 0x40400000, ram->handle, f2m, VM_R | VM_W | VM_2M), 0);
	*p = 77;
	check("2M page usable to its end", (long)*p, 77);
	check("4K inside the 2M page", sys_vm_map(SELF, 0x40401000, ram->handle, frame(4096), VM_R),
	      -ERR_EXIST);
	check("unmap inside the 2M page", sys_vm_unmap(SELF, 0x40401000), -ERR_ALIGN);
	check("unmap 2M", sys_vm_unmap(SELF, 0x40400000), 0);
	/* 1 GiB: only where the RAM range holds an aligned GiB (e.g. -m 2G) */
	if (((ram->base + GB - 1) & ~(GB - 1)) + GB <= ram->base + ram->size) {
		unsigned long off = ((ram->base + GB - 1) & ~(GB - 1)) - ram->base;
		volatile unsigned long *g = (unsigned long *)(0x80000000ul + GB - 8);

		check("1G over 4K pages", sys_vm_map(SELF, 0x40000000ul, ram->handle, off,
						     VM_R | VM_W | VM_1G), -ERR_EXIST);
		check("map 1G", sys_vm_map(SELF, 0x100000000ul, ram->handle, off, VM_R | VM_W | VM_1G),
		      0);
		g = (unsigned long *)(0x100000000ul + GB - 8);
		*g = 99;
		check("1G page usable to its end", (long)*g, 99);
		check("unmap 1G", sys_vm_unmap(SELF, 0x100000000ul), 0);
		printf("test-vm: 1 GiB page mapped and used\n");
	}
}

static void test_device(void)
{
	const struct bootinfo *bi = bootinfo();

	for (unsigned i = 0; i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		if (h->type != HANDLE_DEVICE)
			continue;
		check("map device registers", sys_vm_map(SELF, 0x50000000, h->handle, 0, VM_R | VM_W), 0);
		check("virtio magic through the mapping", *(volatile unsigned int *)0x50000000ul,
		      0x74726976);
		check("device into the pool", sys_vm_pool_add(SELF, h->handle, 0), -ERR_HANDLE);
		/* the kernel never reads a device page for a task: a virtio
		 * register at 0x800 read 8 bytes at a time took a load access
		 * fault in the kernel (a panic) before */
		check("debug write from device memory",
		      sys_debug_write((const void *)0x50000800ul, 8), -ERR_RANGE);
		check("unmap device", sys_vm_unmap(SELF, 0x50000000), 0);
		break;
	}
}

static unsigned long toucher_stack[512] __attribute__((aligned(16)));
extern char touch_pc[];
void toucher(unsigned long ep);
/* toucher: load from 0x60000000 (unmapped), then send what it read to ep. */
__asm__(".text\n"
	".globl toucher\n"
	"toucher:\n"
	"	mv	s1, a0\n"
	"	li	t0, 0x60000008\n"
	".globl touch_pc\n"
	"touch_pc:\n"
	"	ld	a2, 0(t0)\n"
	"	mv	a0, s1\n"
	"	li	a1, 9\n"
	"	li	a6, -1\n"
	"	li	a7, " STR(SYS_SEND) "\n"
	"	ecall\n"
	"1:	j	1b\n");

static void test_fault_map_reply(void)
{
	long fep = sys_endpoint_create();
	long th = sys_thread_create(toucher, toucher_stack + 512, (unsigned long)fep);
	unsigned long f = frame(4096);
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	check("toucher's fault endpoint", sys_thread_set_fault(th, fep), 0);
	check("start the toucher", sys_thread_start(th), 0);
	ipc(SYS_RECV, fep, &m);
	check("fault label", (long)m.label, (long)LABEL_FAULT);
	check("fault address", (long)m.w[FAULT_W_ADDR], 0x60000008);
	check("fault cause", (long)m.w[FAULT_W_CAUSE], 13);
	check("fault pc", (long)m.w[FAULT_W_PC], (long)touch_pc);
	/* write the value through a mapping of our own, then give the frame */
	check("handler's own view", sys_vm_map(SELF, 0x40010000, ram->handle, f, VM_R | VM_W), 0);
	*(volatile unsigned long *)0x40010008ul = 0xfeedf00d;
	sys_vm_map_reply(SELF, 0x60000000, ram->handle, f, VM_R, fep, &m);
	check("message after map-then-reply", m.status, 0);
	check("the thread resumed and read the handler's value", (long)m.w[0], 0xfeedf00d);
	check("label of its message", (long)m.label, 9);
}

static unsigned long caller_stack[256] __attribute__((aligned(16)));

/* caller: a plain call on @ep, then a send there of the reply's label + 100,
 * then spin. */
static void caller(unsigned long ep)
{
	struct msg m = { 0, 7, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, (long)ep, &m);
	m = (struct msg){ 0, m.label + 100, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND, (long)ep, &m);
	for (;;)
		;
}

/* test_map_reply_to_a_call: map-then-reply answers a fault (LABEL_RESUME):
 * for a caller that is not faulting it is refused before anything is mapped,
 * and the caller still waits for its real reply. */
static void test_map_reply_to_a_call(void)
{
	long ep = sys_endpoint_create();
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	check("start the caller", thread_spawn(caller, caller_stack + 256, (unsigned long)ep) >= 0,
	      1);
	ipc(SYS_RECV, ep, &m);
	check("its call", (long)m.label, 7);
	sys_vm_map_reply(SELF, 0x61000000, ram->handle, frame(4096), VM_R, ep, &m);
	check("map-then-reply to a call refused", m.status, -ERR_INVAL);
	check("and nothing mapped", sys_vm_unmap(SELF, 0x61000000), -ERR_NOENT);
	m = (struct msg){ 0, 8, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, ep, &m);	/* the real reply; the caller then tells us */
	check("the caller got the real reply", (long)m.label, 108);
}

static unsigned long writer_stack[256] __attribute__((aligned(16)));
extern char write_pc[];
void writer(unsigned long addr);
/* writer: store to the address in a0. */
__asm__(".text\n"
	".globl writer\n"
	"writer:\n"
	".globl write_pc\n"
	"write_pc:\n"
	"	sd	a0, 0(a0)\n"
	"1:	j	1b\n");

static void test_protect_query(void)
{
	volatile unsigned long *p = (unsigned long *)0x40020000ul;
	unsigned long a = 0, d = 0, f = frame(4096);
	long fep, th, ro;
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	check("map for query", sys_vm_map(SELF, 0x40020000, ram->handle, f, VM_R | VM_W), 0);
	check("query", sys_vm_query(SELF, 0x40020000, 0, &a, &d), 0);
	check("untouched: not accessed, not dirty", (long)((a | d) & 1), 0);
	(void)*p;
	sys_vm_query(SELF, 0x40020000, 0, &a, &d);
	check("read: accessed", (long)(a & 1), 1);
	check("read: not dirty", (long)(d & 1), 0);
	*p = 5;
	sys_vm_query(SELF, 0x40020000, QUERY_CLEAR_A | QUERY_CLEAR_D, &a, &d);
	check("written: dirty", (long)(d & 1), 1);
	check("page 1 unmapped: no bits", (long)((a | d) & 2), 0);
	sys_vm_query(SELF, 0x40020000, 0, &a, &d);
	check("cleared", (long)((a | d) & 1), 0);
	check("query misaligned", sys_vm_query(SELF, 0x40020008, 0, &a, &d), -ERR_ALIGN);
	check("query unknown clear bits", sys_vm_query(SELF, 0x40020000, 0x20, &a, &d), -ERR_INVAL);
	/* QUERY_ONE: the page at va only, its neighbour's bits untouched */
	check("map a neighbour", sys_vm_map(SELF, 0x40021000, ram->handle, frame(4096),
					    VM_R | VM_W), 0);
	p[1] = 6;
	p[512] = 7;
	check("query one", sys_vm_query(SELF, 0x40020000, QUERY_ONE | QUERY_CLEAR_A | QUERY_CLEAR_D,
					 &a, &d), 0);
	check("query one: bit 0 only", (long)(a | (d << 8)), 0x101);
	sys_vm_query(SELF, 0x40020000, 0, &a, &d);
	check("query one cleared its page only", (long)(a | (d << 8)), 0x202);
	/* QUERY_LIST: the pages a list names, bit i for the i-th, in one call;
	 * every entry checked before anything is cleared */
	{
		unsigned long list[2] = { 0x40021000, 0x40020000 };

		check("query list", sys_vm_query_list(SELF, list, 2, QUERY_CLEAR_A, &a, &d), 0);
		check("query list: bit i for entry i", (long)(a | (d << 8)), 0x101);
		sys_vm_query(SELF, 0x40020000, 0, &a, &d);
		check("query list cleared A of its pages", (long)(a | (d << 8)), 0x200);
		list[1] = 0x40020008;
		check("query list: a misaligned entry",
		      sys_vm_query_list(SELF, list, 2, QUERY_CLEAR_D, &a, &d), -ERR_ALIGN);
		list[1] = 1ul << 62;
		check("query list: an entry out of range",
		      sys_vm_query_list(SELF, list, 2, QUERY_CLEAR_D, &a, &d), -ERR_RANGE);
		sys_vm_query(SELF, 0x40020000, 0, &a, &d);
		check("query list refused: nothing cleared", (long)(d << 8), 0x200);
		check("query list of none", sys_vm_query_list(SELF, list, 0, 0, &a, &d), -ERR_INVAL);
		check("query list of 65", sys_vm_query_list(SELF, list, 65, 0, &a, &d), -ERR_INVAL);
		check("query list at an unmapped address",
		      sys_vm_query_list(SELF, (const unsigned long *)0x7000, 1, 0, &a, &d),
		      -ERR_RANGE);
	}
	check("unmap the neighbour", sys_vm_unmap(SELF, 0x40021000), 0);
	/* protect */
	check("protect W+X", sys_vm_protect(SELF, 0x40020000, VM_R | VM_W | VM_X), -ERR_INVAL);
	check("protect unmapped", sys_vm_protect(SELF, 0x40021000, VM_R), -ERR_NOENT);
	check("protect to read-only", sys_vm_protect(SELF, 0x40020000, VM_R), 0);
	check("still readable", (long)*p, 5);
	fep = sys_endpoint_create();
	th = sys_thread_create(writer, writer_stack + 256, 0x40020000);
	sys_thread_set_fault(th, fep);
	sys_thread_start(th);
	ipc(SYS_RECV, fep, &m);
	check("write to the read-only page faults", (long)m.w[FAULT_W_CAUSE], 15);
	check("... at the writer's store", (long)m.w[FAULT_W_PC], (long)write_pc);
	check("protect back to RW", sys_vm_protect(SELF, 0x40020000, VM_R | VM_W), 0);
	m = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV | SYS_NONBLOCK, fep, &m);
	for (long spin = 0; *p != 0x40020000ul && spin < 100000000; spin++)
		;	/* the writer runs at the next timer tick */
	check("the resumed writer's store landed", (long)*p, 0x40020000);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV | SYS_NONBLOCK, fep, &m);
	check("and it did not fault again", m.status, -ERR_AGAIN);
	ro = sys_handle_mint(ram->handle, RIGHT_READ | RIGHT_MAP, 0);
	check("map read-only handle", sys_vm_map(SELF, 0x40022000, ro, frame(4096), VM_R), 0);
	check("protect it writable", sys_vm_protect(SELF, 0x40022000, VM_R | VM_W), -ERR_DENIED);
}

/* test_deferred: UNMAP_DEFER, QUERY_DEFER and UNMAP_FLUSH: what a deferred
 * unmap returns, and that its frame can be mapped again, and made a page
 * table, at once (the kernel fences first: a stale frame is never refused
 * nor mapped while another hart may reach it). */
static void test_deferred(void)
{
	unsigned long f = frame(4096), g = frame(4096), a, d;
	volatile unsigned long *p = (volatile unsigned long *)0x40030000, *q;

	check("map for a deferred unmap", sys_vm_map(SELF, 0x40030000, ram->handle, f, VM_R | VM_W),
	      0);
	*p = 0xdefe4;
	check("query with QUERY_DEFER", sys_vm_query(SELF, 0x40030000, QUERY_ONE | QUERY_CLEAR_A |
						     QUERY_DEFER, &a, &d), 0);
	check("QUERY_DEFER: the bits as read", (long)(a | (d << 8)), 0x101);
	check("QUERY_DEFER with QUERY_CLEAR_D is refused",
	      sys_vm_query(SELF, 0x40030000, QUERY_ONE | QUERY_CLEAR_D | QUERY_DEFER, &a, &d),
	      -ERR_INVAL);
	sys_vm_query(SELF, 0x40030000, QUERY_ONE, &a, &d);
	check("QUERY_DEFER: A cleared, D kept", (long)(a | (d << 8)), 0x100);
	check("deferred unmap reports the last bits",
	      sys_vm_unmap_flags(SELF, 0x40030000, UNMAP_DEFER | UNMAP_REPORT), UNMAP_DIRTY);
	check("its page is gone", sys_vm_unmap(SELF, 0x40030000), -ERR_NOENT);
	check("its frame maps again at once",
	      sys_vm_map(SELF, 0x40031000, ram->handle, f, VM_R | VM_W), 0);
	q = (volatile unsigned long *)0x40031000;
	check("with what was written through the old mapping", (long)*q, 0xdefe4);
	check("deferred unmap without REPORT", sys_vm_unmap_flags(SELF, 0x40031000, UNMAP_DEFER), 0);
	check("its frame becomes a page table at once", sys_vm_pool_add(SELF, ram->handle, f), 0);
	check("map a second frame", sys_vm_map(SELF, 0x40032000, ram->handle, g, VM_R | VM_W), 0);
	check("and unmap it deferred", sys_vm_unmap_flags(SELF, 0x40032000, UNMAP_DEFER), 0);
	check("UNMAP_FLUSH", sys_vm_unmap_flags(-1, 0, UNMAP_FLUSH), 0);
	check("UNMAP_FLUSH with nothing pending", sys_vm_unmap_flags(-1, 0, UNMAP_FLUSH), 0);
	check("UNMAP_FLUSH is alone or refused",
	      sys_vm_unmap_flags(SELF, 0x40032000, UNMAP_FLUSH | UNMAP_REPORT), -ERR_INVAL);
	check("unknown unmap flags", sys_vm_unmap_flags(SELF, 0x40032000, 0x8), -ERR_INVAL);
	check("the flushed frame maps again",
	      sys_vm_map(SELF, 0x40032000, ram->handle, g, VM_R | VM_W), 0);
	check("unmap it", sys_vm_unmap(SELF, 0x40032000), 0);
}

int main(void)
{
	test_bootinfo();
	test_map_4k();
	test_refusals();
	test_superpages();
	test_device();
	test_fault_map_reply();
	test_map_reply_to_a_call();
	test_protect_query();
	test_deferred();
	return check_done();
}
