/* SPDX-License-Identifier: MIT */
/*
 * Synchronous IPC on endpoints (see docs/kernel.md and <faultline/syscall.h>
 * for the registers). A message goes from the sender's registers straight into
 * the receiver's: nothing is queued in the kernel but the waiting threads.
 * A fault is a call the kernel makes on the faulting thread's behalf.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "task.h"

/* ipc_send: SYS_SEND (@call false) or SYS_CALL (@call true) by @t. */
void ipc_send(struct thread *t, bool call, bool block);

/* sys_call: SYS_CALL by @t (a fast path first, see ipc.c); SYSCALL_DONE. */
long sys_call(struct thread *t);

/* ipc_recv: SYS_RECV by @t. */
void ipc_recv(struct thread *t, bool block);

/* sys_reply_recv: SYS_REPLY_RECV by @t (a fast path first); SYSCALL_DONE
 * or an error for a0. */
long sys_reply_recv(struct thread *t);

struct vm_map_req;

/*
 * ipc_reply_recv_on: a reply-and-wait once decoded: answer @t's caller (if
 * any) with the message in @t's registers carrying @xfer, then receive on
 * @ep. @mapped: the page SYS_VM_MAP_REPLY mapped before this reply (NULL
 * otherwise); the fault's trace record names it. A blocking one with no
 * handle, to a caller it can resume at once, takes the fast path (the caller
 * gets this hart directly). Returns the system call's result for trap.S:
 * SYSCALL_SWITCHED or SYSCALL_DONE.
 */
long ipc_reply_recv_on(struct thread *t, struct endpoint *ep, const struct handle *xfer,
		       const struct vm_map_req *mapped, bool block);

/* ipc_reply_save: SYS_REPLY_SAVE by @t: its pending caller keeps waiting, and a
 * new reply handle in @t's task can answer it later (once, from any thread that
 * holds it). Returns the handle number, -ERR_NOENT (no caller) or -ERR_NOSPC. */
long ipc_reply_save(struct thread *t);

/* ipc_reply_to: SYS_REPLY_TO by @t: answer the caller of the reply handle in
 * a0 with the message in the IPC registers (a fault: LABEL_RESUME or KILL). */
void ipc_reply_to(struct thread *t);

/*
 * ipc_fault: deliver @t's fault, already in t->msg (t->faulting set), to its
 * fault endpoint as a call. Returns false, changing nothing, if it has none (or the endpoint is
 * dead).
 */
bool ipc_fault(struct thread *t);

/* ipc_endpoint_destroy: kill @ep; threads waiting on it get -ERR_HANDLE, and
 * threads whose fault waited there are killed. */
void ipc_endpoint_destroy(struct endpoint *ep);

/* ipc_thread_detach: take @t out of every IPC relation before it dies; a
 * thread waiting for @t's reply gets -ERR_NOREPLY (or, for a fault, dies). */
void ipc_thread_detach(struct thread *t);

#endif
