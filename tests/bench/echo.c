/* SPDX-License-Identifier: MIT */
/*
 * bench-echo: the server side of ipc_call_reply, in its own address space.
 * The bench program loads it with the endpoint as its one handle (a1 at
 * start, kept by crt0 in user_pager_ep) and calls it; it answers every call
 * with the word it got, forever.
 */
#include <faultline/syscall.h>

#include "ipc.h"
#include "sys.h"

int main(void)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV, user_pager_ep, &m);
	for (;;) {
		m.handle = IPC_NO_HANDLE;
		ipc(SYS_REPLY_RECV, user_pager_ep, &m);
	}
}
