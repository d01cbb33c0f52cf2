/* SPDX-License-Identifier: MIT */
/*
 * The Faultline system-call ABI, shared by the kernel and user programs.
 *
 * A system call is `ecall` from U-mode with the number in a7 and arguments in
 * a0..a5. The result comes back in a0: a value >= 0, or a negative error code
 * from <faultline/errno.h>. t0..t6 are not preserved (as across a C call:
 * every ecall lists them as clobbered); every other register is.
 * docs/abi.md lists every call with its arguments, rights and errors.
 */
#ifndef FAULTLINE_SYSCALL_H
#define FAULTLINE_SYSCALL_H

#include <faultline/page.h>
#include <stdbool.h>

/* Syscall numbers (a7). */
#define SYS_DEBUG_WRITE	0	/* (buf, len): print len bytes to the kernel console */
#define SYS_EXIT	1	/* (status): end the calling task; does not return */
#define SYS_SHUTDOWN	2	/* (status): stop the machine; root task only */
#define SYS_NULL	3	/* (): do nothing, return 0 (for measuring) */
#define SYS_ENDPOINT_CREATE 4	/* (): a new endpoint; returns its handle */
#define SYS_HANDLE_MINT	5	/* (h, rights, badge): a copy with fewer rights and a badge */
#define SYS_HANDLE_CLOSE 6	/* (h): drop a handle */
#define SYS_THREAD_CREATE 7	/* (task h, pc, sp, arg, handle): a new, stopped thread */
#define SYS_THREAD_SET_FAULT 8	/* (thread h, endpoint h): where its faults go */
#define SYS_SEND	9	/* IPC: send a message */
#define SYS_RECV	10	/* IPC: receive a message */
#define SYS_CALL	11	/* IPC: send, then wait for the reply */
#define SYS_REPLY_RECV	12	/* IPC: reply to the last caller, then receive */
#define SYS_VM_POOL_ADD	13	/* (task h, pmem h, offset): give a frame to its table pool */
#define SYS_VM_MAP	14	/* (task h, va, pmem h, offset, flags): map a page */
#define SYS_VM_UNMAP	15	/* (task h, va, flags): unmap the page (of any size) at
				 * va; with UNMAP_REPORT, return its last A/D bits */
#define SYS_VM_MAP_REPLY 16	/* (task h, va, pmem h, offset, flags, endpoint h): map,
				 * reply RESUME to the caller, receive on the endpoint */
#define SYS_TASK_CREATE	17	/* (pmem h, offset, name[0..7], name[8..15]): a new
				 * task, the frame its root table */
#define SYS_TASK_DESTROY 18	/* (task h): kill its threads, free its handles and tables */
#define SYS_VM_PROTECT	19	/* (task h, va, flags): new permissions for the page at va */
#define SYS_VM_QUERY	20	/* (task h, va, clear): accessed/dirty bits of 64 pages */
#define SYS_THREAD_START 21	/* (thread h): let a new thread run */
#define SYS_IRQ_BIND	22	/* (irq h, endpoint h): deliver the interrupt there */
#define SYS_IRQ_ACK	23	/* (irq h): the interrupt was handled; it may come again */
#define SYS_THREAD_PRIORITY 24	/* (thread h, priority): at most the caller's own */
#define SYS_REPLY_SAVE	25	/* (): turn the pending caller into a reply handle */
#define SYS_REPLY_TO	26	/* IPC registers, a0 = reply handle: answer that caller */
#define SYS_TRACE_CTL	27	/* (mask, task h or -1): what to trace (TRACE_* of
				 * <faultline/trace.h>); returns the previous mask */
#define SYS_KCOV	28	/* (op): kernel coverage for the calling task (KCOV_*);
				 * a coverage build only (tools/faultline fuzz) */
#define SYS_TASK_WATCH	29	/* (task h, endpoint h or -1): a LABEL_ENDED message
				 * there when the task ends */
#define SYS_COUNT	30

/* SYS_KCOV operations. In a kernel built without coverage every one is
 * -ERR_NOTSUP. Coverage is of basic blocks (the PCs of
 * -fsanitize-coverage=trace-pc), counted once each, for one task at a time. */
#define KCOV_ENABLE	0	/* record the calling task's blocks (it must be the root
				 * task; replaces any other); returns 0 */
#define KCOV_COLLECT	1	/* returns the blocks first reached since the last collect */
#define KCOV_TOTAL	2	/* returns the blocks reached since KCOV_ENABLE */

/* The kernel's object tables: fixed at build time (the kernel allocates no
 * memory after boot), shared by all tasks but the handle table, which each
 * task has (docs/abi.md, "Objects: lifetimes and limits"). */
#define LIMIT_TASKS	32
#define LIMIT_THREADS	128
#define LIMIT_ENDPOINTS	128
#define LIMIT_HANDLES	64	/* per task */

/*
 * Quotas: how many tasks, threads and endpoints a task may have live at once,
 * given by its creator out of the creator's own (SYS_TASK_CREATE's a4, packed
 * by QUOTA; 0 gives QUOTA_DEFAULT). A task's threads and the endpoints it
 * makes count against it; a task it makes counts one task plus the whole
 * quota it was given, until it ends. The root task's quota is the tables, so
 * what it was not given away, no other task can take from it.
 */
#define QUOTA(tasks, threads, endpoints) \
	((unsigned long)(tasks) | (unsigned long)(threads) << 8 | (unsigned long)(endpoints) << 16)
#define QUOTA_FIELD_MAX	255
#define QUOTA_BITS	24
#define QUOTA_DEFAULT	QUOTA(0, 4, 4)	/* a client: a few threads and endpoints */
#define QUOTA_TASKS(q)		((q) & 0xff)
#define QUOTA_THREADS(q)	(((q) >> 8) & 0xff)
#define QUOTA_ENDPOINTS(q)	(((q) >> 16) & 0xff)

/* Thread priorities: the highest runnable level runs, round robin inside a
 * level on the timer tick. New threads and the root task start at the default. */
#define PRIO_LEVELS	16
#define PRIO_DEFAULT	8

/* SYS_VM_QUERY: which bits to clear after reading them. */
#define QUERY_CLEAR_A	0x1
#define QUERY_CLEAR_D	0x2
#define QUERY_ONE	0x4	/* only the page at va: bit 0 of each bitmap */
#define QUERY_LIST	0x8	/* va: a list of a3 (1..64) page addresses in the
				 * caller's memory; bit i for the i-th */
#define QUERY_DEFER	0x10	/* other harts forget the cleared A bits when the
				 * deferred fences go (see UNMAP_DEFER); not with
				 * QUERY_CLEAR_D (-ERR_INVAL) */
#define QUERY_PAGES	64	/* pages per query: a1 = accessed bitmap, a2 = dirty bitmap */

/* SYS_VM_UNMAP flags and result bits: with UNMAP_REPORT the call returns
 * UNMAP_ACCESSED | UNMAP_DIRTY as the page's PTE had them when it went (read
 * and cleared in one atomic swap: no write can slip in between). */
#define UNMAP_REPORT	0x1
#define UNMAP_DEFER	0x2	/* a 4 KiB page of RAM: other harts forget it
				 * only when the deferred fences go: at
				 * UNMAP_FLUSH, or before the kernel maps that
				 * frame again or takes it for a page table */
#define UNMAP_FLUSH	0x4	/* alone (a0, a1 not looked at): the deferred
				 * fences go now */
#define UNMAP_ACCESSED	0x1
#define UNMAP_DIRTY	0x2

/* Or'ed into the number of SYS_SEND, SYS_RECV, SYS_REPLY_RECV: fail with
 * -ERR_AGAIN instead of blocking. */
#define SYS_NONBLOCK	0x100

/*
 * IPC registers. In: a0 = endpoint handle, a1 = label, a2..a5 = IPC_WORDS
 * words, a6 = a handle to transfer or -1 (needs the GRANT right). Out, for a
 * received message or a reply: a0 = 0 or -ERR_*, a1 = label, a2..a5 = words,
 * a6 = the transferred handle's number in the receiver or -1 (-ERR_NOSPC if
 * the receiver's table was full), a7 = the sender's badge.
 */
#define IPC_WORDS	4
#define IPC_NO_HANDLE	(-1l)

/* Handle rights. An endpoint needs WRITE to send, READ to receive. */
#define RIGHT_READ	0x01
#define RIGHT_WRITE	0x02
#define RIGHT_MAP	0x04
#define RIGHT_GRANT	0x08	/* may be transferred through IPC */
#define RIGHT_MANAGE	0x10	/* may change the object (thread: set its fault endpoint) */
#define RIGHTS_ALL	0x1f

/* Handle types, as the boot info reports them. */
#define HANDLE_TASK	1
#define HANDLE_THREAD	2
#define HANDLE_ENDPOINT	3
#define HANDLE_PMEM	4	/* a range of RAM */
#define HANDLE_DEVICE	5	/* a range of device registers */
#define HANDLE_IRQ	6	/* an interrupt line (base = its number) */
#define HANDLE_REPLY	7	/* a saved reply: answers one waiting caller, once */

/* SYS_VM_MAP flags: permissions and page size. Never W+X, never W without R. */
#define VM_R		0x1
#define VM_W		0x2
#define VM_X		0x4
#define VM_PERMS	0x7
#define VM_SIZE_SHIFT	8	/* page size: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB */
#define VM_4K		(0u << VM_SIZE_SHIFT)
#define VM_2M		(1u << VM_SIZE_SHIFT)
#define VM_1G		(2u << VM_SIZE_SHIFT)

/* The permission rule, defined once for the kernel (SYS_VM_MAP, SYS_VM_PROTECT)
 * and the pager (the permissions a client may ask for): the VM_* combinations
 * that may be mapped, one bit each: R, X, R+X, R+W. Never none, never W
 * without R, never W+X. */
#define VM_PERMS_ALLOWED                                                                   \
	((1u << VM_R) | (1u << VM_X) | (1u << (VM_R | VM_X)) | (1u << (VM_R | VM_W)))

/* vm_perms_ok: whether @perms (VM_* bits and nothing else) may be mapped. */
static inline bool vm_perms_ok(unsigned long perms)
{
	return perms <= VM_PERMS && ((VM_PERMS_ALLOWED >> perms) & 1);
}

/* Message labels. A user's are 0..LABEL_USER_MAX (below 2^31): the only ones
 * a send, a call, or a reply to a call may carry. The kernel's have bit 31
 * set (and nothing above it): faults and interrupts come from the kernel
 * only, so a receiver can trust them, and a fault's reply is LABEL_RESUME or
 * LABEL_KILL. */
#define LABEL_USER_MAX	0x7ffffffful
#define LABEL_KERNEL	0x80000000ul
#define LABEL_FAULT	(LABEL_KERNEL | 1)	/* a fault, delivered as a call */
#define LABEL_IRQ	(LABEL_KERNEL | 2)	/* an interrupt */
#define LABEL_ENDED	(LABEL_KERNEL | 3)	/* watched tasks ended (SYS_TASK_WATCH) */
#define LABEL_RESUME	(LABEL_KERNEL | 16)	/* reply to a fault: retry the instruction */
#define LABEL_KILL	(LABEL_KERNEL | 17)	/* reply to a fault: kill the thread */

/* label_is_user: whether @label is a user's (any bit at or above 31 is not). */
static inline bool label_is_user(unsigned long label)
{
	_Static_assert(LABEL_USER_MAX == (1ul << 31) - 1, "user labels are the 31 low bits");
	return (label >> 31) == 0;	/* a shift and a branch on the fast paths */
}

/*
 * The interrupt message (label LABEL_IRQ, badge = the badge of the endpoint
 * handle it was bound with): word 0 = the interrupt number. The line stays
 * masked until SYS_IRQ_ACK.
 */
#define IRQ_W_NUMBER	0

/*
 * The end message (label LABEL_ENDED, badge 0): word 0 = the OR of the
 * badges of the SYS_TASK_WATCH handles of every task watched through this
 * endpoint that ended since the last such message was received (one message
 * for any number of ends: give each watched task its own bit). It carries no
 * exit status: a program whose status matters tells its server itself.
 */
#define ENDED_W_BADGES	0

/*
 * The fault message (label LABEL_FAULT, badge = the badge of the faulting
 * thread's fault-endpoint handle):
 */
#define FAULT_W_ADDR	0	/* stval: the faulting address (or instruction bits) */
#define FAULT_W_CAUSE	1	/* scause, raw */
#define FAULT_W_PC	2	/* sepc: the faulting instruction */
#define FAULT_W_ACCESS	3	/* FAULT_READ, FAULT_WRITE or FAULT_EXEC, 0 for others */
#define FAULT_READ	1
#define FAULT_WRITE	2
#define FAULT_EXEC	4

/* SYS_TASK_CREATE: a task's name, packed little-endian into a2 and a3:
 * 1 to TASK_NAME_LEN printable characters (no space), NUL-padded; a2 = 0 for
 * the default name "task<slot>". */
#define TASK_NAME_LEN	15

/* Limits */
#define DEBUG_WRITE_MAX	1024	/* bytes per SYS_DEBUG_WRITE */
#define EXIT_STATUS_MAX	255	/* statuses reach QEMU's exit code (8 bits) */

/*
 * The root task's initial state, set by the kernel: its ELF segments are mapped
 * eagerly (text R-X, rodata R--, data RW-), a stack of INIT_STACK_SIZE bytes
 * ends at INIT_STACK_TOP and sp points at its top; all other registers are 0.
 * These addresses are user addresses in every paging mode.
 */
#define INIT_STACK_TOP	0x80000000ul
#define INIT_STACK_SIZE	0x10000ul

/*
 * The boot info: one read-only page the kernel maps into the root task at
 * BOOTINFO_VA, listing the handles it starts with: its own task (handle 0,
 * all rights), every range of free RAM (pmem), every device (virtio-mmio
 * slots, the goldfish RTC) and each device's interrupt line, all with all
 * rights, and the boot archive (read-only).
 */
#define BOOTINFO_VA	(INIT_STACK_TOP - INIT_STACK_SIZE - 0x2000ul)
#define BOOTINFO_MAGIC	0x464c4249u	/* "FLBI" */
#define BOOTINFO_ARCHIVE "bootarchive"	/* name of the boot archive's pmem handle
					 * (READ, MAP, GRANT; size = its exact length) */
#define BOOTINFO_MAX	56

#ifndef __ASSEMBLER__
/* A message as sent or received (lib/user/sys.h's ipc(); the pager core's
 * events on the host too). */
struct msg {
	long status;			/* 0 or -ERR_* (out) */
	unsigned long label;
	unsigned long w[IPC_WORDS];
	long handle;			/* to transfer (in) / transferred (out), or -1 */
	unsigned long badge;		/* the sender's badge (out) */
};

struct bootinfo_handle {
	unsigned int handle;
	unsigned int type;		/* HANDLE_* */
	unsigned long base;		/* physical address (pmem, device) */
	unsigned long size;		/* bytes */
	char name[16];			/* "ram", "virtio@10008000", "init" */
};

/* bootinfo.init_test: test= hooks the kernel passes on to init (docs/boot.md). */
#define BOOTINFO_TEST_NONE		0
#define BOOTINFO_TEST_KILL_PAGER	1	/* destroy the pager once the clients run */
#define BOOTINFO_TEST_KILL_BLK		2	/* destroy the block driver once they swap */
#define BOOTINFO_TEST_KILL_BLK_FOR_GOOD	3	/* the same, and start no new one */

struct bootinfo {
	unsigned int magic;
	unsigned int nhandles;
	unsigned int va_bits;		/* 39, 48 or 57: user space ends at 2^(va_bits-1) */
	unsigned int hartid;		/* the boot hart */
	unsigned int nharts;		/* harts running user threads */
	char pager[64];			/* boot argument pager=: the pager to start */
	char run[64];			/* boot argument run=: the programs to run */
	unsigned int init_test;		/* BOOTINFO_TEST_*: a test= hook for init */
	unsigned int pager_frames;	/* boot argument frames=: the pager's data frames */
	struct bootinfo_handle handles[BOOTINFO_MAX];
	unsigned long boot_instret;	/* the boot hart's instret at kernel entry */
};
#endif

/* Exit status of the machine when the root task is killed by a fault. */
#define EXIT_INIT_KILLED 4

#endif
