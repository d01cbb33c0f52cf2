/* SPDX-License-Identifier: MIT */
/*
 * System-call handlers that live outside syscall.c, for its table: the IPC
 * calls' decoding (syscall_ipc.c). Each takes the calling thread and returns
 * its result for trap.S (<arch/trap.h>).
 */
#ifndef KERNEL_KSYS_H
#define KERNEL_KSYS_H

#include "task.h"

long ksys_send(struct thread *t);
long ksys_call(struct thread *t);
long ksys_recv(struct thread *t);
long ksys_reply_recv(struct thread *t);
long ksys_reply_save(struct thread *t);
long ksys_reply_to(struct thread *t);

#endif
