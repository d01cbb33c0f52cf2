/* SPDX-License-Identifier: MIT */
/*
 * test-irq (init=test-irq): interrupts as messages, with QEMU's goldfish RTC as
 * the source. The root task maps the RTC's registers, binds its IRQ to an
 * endpoint and programs an alarm: the interrupt arrives as a LABEL_IRQ message
 * with the line's number and the binding's badge. It is delivered both to a
 * thread already waiting and, through the pending flag, to one that receives
 * later; after SYS_IRQ_ACK the line can fire again.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <string.h>

#define CHECK_PROG "test-irq"
#include "check.h"
#include "sys.h"

#define SELF 0
#define RTC_VA 0x50000000ul

/* goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c) */
#define RTC_TIME_LOW	0x00
#define RTC_TIME_HIGH	0x04
#define RTC_ALARM_LOW	0x08
#define RTC_ALARM_HIGH	0x0c
#define RTC_IRQ_ENABLED	0x10
#define RTC_CLEAR_INTERRUPT 0x1c

static volatile unsigned int *rtc(unsigned reg)
{
	return (volatile unsigned int *)(RTC_VA + reg);
}

/* alarm_in: an alarm @ns nanoseconds from now, interrupt enabled. */
static void alarm_in(unsigned long ns)
{
	unsigned long now = *rtc(RTC_TIME_LOW);	/* reading low latches high */

	now |= (unsigned long)*rtc(RTC_TIME_HIGH) << 32;
	now += ns;
	*rtc(RTC_IRQ_ENABLED) = 1;
	*rtc(RTC_ALARM_HIGH) = (unsigned int)(now >> 32);
	*rtc(RTC_ALARM_LOW) = (unsigned int)now;
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	long dev = -1, irq = -1, ep, badged;
	unsigned long irq_num = 0;
	struct msg m;

	for (unsigned i = 0; i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		if (strncmp(h->name, "rtc@", 4))
			continue;
		if (h->type == HANDLE_DEVICE)
			dev = h->handle;
		if (h->type == HANDLE_IRQ) {
			irq = h->handle;
			irq_num = h->base;
		}
	}
	check("RTC device handle", dev >= 0, 1);
	check("RTC irq handle", irq >= 0, 1);
	check("RTC irq number", (long)irq_num, 11);
	check("ack before any interrupt", syscall3(SYS_IRQ_ACK, irq, 0, 0), -ERR_INVAL);
	check("bind to a non-endpoint", syscall3(SYS_IRQ_BIND, irq, dev, 0), -ERR_HANDLE);
	check("bind with a device handle as irq", syscall3(SYS_IRQ_BIND, dev, 0, 0), -ERR_HANDLE);
	for (int i = 0; i < 4; i++)
		sys_vm_pool_add(SELF, bi->handles[1].handle, (unsigned long)i * 4096);
	check("map the RTC", sys_vm_map(SELF, RTC_VA, dev, 0, VM_R | VM_W), 0);
	ep = sys_endpoint_create();
	badged = sys_handle_mint(ep, RIGHT_WRITE, 0x1a);
	check("bind", syscall3(SYS_IRQ_BIND, irq, badged, 0), 0);

	/* 1: waiting in recv when the interrupt comes */
	alarm_in(1000000);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, ep, &m);
	check("irq message", m.status, 0);
	check("irq label", (long)m.label, (long)LABEL_IRQ);
	check("irq number", (long)m.w[IRQ_W_NUMBER], 11);
	check("irq badge", (long)m.badge, 0x1a);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	check("ack", syscall3(SYS_IRQ_ACK, irq, 0, 0), 0);
	check("ack twice", syscall3(SYS_IRQ_ACK, irq, 0, 0), -ERR_INVAL);

	/* 2: nobody receiving when it comes: the pending flag keeps it */
	alarm_in(100000);
	for (volatile long spin = 0; spin < 3000000; spin++)
		;
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, ep, &m);	/* blocks until it comes, if it has not yet */
	check("pending irq delivered", (long)m.label, (long)LABEL_IRQ);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV | SYS_NONBLOCK, ep, &m);
	check("delivered once", m.status, -ERR_AGAIN);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	check("ack again", syscall3(SYS_IRQ_ACK, irq, 0, 0), 0);
	return check_done();
}
