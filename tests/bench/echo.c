/* SPDX-License-Identifier: MIT */
/*
 * bench-echo: the server side of ipc_call_reply, in its own address space.
 * The bench program loads it with the endpoint as its one handle (a1 at
 * start, kept by crt0 in user_pager_ep) and calls it; it answers every call
 * with the label and words it got, forever.
 *
 * The loop keeps the message in the IPC registers from one reply-and-wait
 * to the next (the reply is the message just received), as a server on a
 * fast path would, instead of going through struct msg: four instructions
 * around each ecall rather than fifteen.
 */
#include <faultline/syscall.h>

#include "sys.h"

int main(void)
{
	const long ep = user_pager_ep;
	register long a0 __asm__("a0");
	register unsigned long a1 __asm__("a1") = 0, a2 __asm__("a2") = 0, a3 __asm__("a3") = 0,
				  a4 __asm__("a4") = 0, a5 __asm__("a5") = 0;
	register long a6 __asm__("a6"), a7 __asm__("a7") = SYS_RECV;

	for (;;) {	/* receive, then reply with what came and receive again */
		a0 = ep;
		a6 = IPC_NO_HANDLE;	/* pass on no handle */
		__asm__ volatile("ecall"
				 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5),
				   "+r"(a6), "+r"(a7)
				 :
				 : ECALL_CLOBBERS);
		a7 = SYS_REPLY_RECV;
	}
}
