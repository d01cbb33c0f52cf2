/* SPDX-License-Identifier: MIT */
/*
 * ns16550a UART, polled transmit only. Knows nothing of the device tree: the
 * caller passes the mapped base address and the register layout.
 */
#ifndef KERNEL_UART16550_H
#define KERNEL_UART16550_H

#include <stdint.h>

struct uart16550 {
	volatile uint8_t *base;
	unsigned reg_shift;	/* registers are 1 << reg_shift bytes apart */
	unsigned io_width;	/* 1 or 4 byte accesses */
};

/* uart16550_init: 8N1, FIFOs on, interrupts off; 115200 baud if @clock_hz != 0. */
void uart16550_init(struct uart16550 *u, void *base, unsigned reg_shift, unsigned io_width,
		    uint32_t clock_hz);

/* uart16550_putc: wait for room in the transmitter, then send @c. */
void uart16550_putc(const struct uart16550 *u, char c);

#endif
