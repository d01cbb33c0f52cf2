/* SPDX-License-Identifier: MIT */
/* Register numbers and bits from the TI/National PC16550D datasheet. */
#include "uart16550.h"

#include <arch/mmio.h>

#define UART_THR	0	/* transmit holding (write) */
#define UART_DLL	0	/* divisor latch low (DLAB = 1) */
#define UART_IER	1	/* interrupt enable */
#define UART_DLM	1	/* divisor latch high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define LSR_THRE	0x20	/* transmit holding register empty */

#define UART_BAUD	115200

static uint8_t uart_read(const struct uart16550 *u, unsigned reg)
{
	volatile uint8_t *addr = u->base + (reg << u->reg_shift);

	return u->io_width == 4 ? (uint8_t)readl(addr) : readb(addr);
}

static void uart_write(const struct uart16550 *u, unsigned reg, uint8_t v)
{
	volatile uint8_t *addr = u->base + (reg << u->reg_shift);

	if (u->io_width == 4)
		writel(v, addr);
	else
		writeb(v, addr);
}

void uart16550_init(struct uart16550 *u, void *base, unsigned reg_shift, unsigned io_width,
		    uint32_t clock_hz)
{
	u->base = base;
	u->reg_shift = reg_shift;
	u->io_width = io_width;
	uart_write(u, UART_IER, 0);
	if (clock_hz) {
		uint32_t div = clock_hz / (16 * UART_BAUD);

		if (div == 0)
			div = 1;	/* the fastest the clock allows */

		uart_write(u, UART_LCR, LCR_DLAB);
		uart_write(u, UART_DLL, div & 0xff);
		uart_write(u, UART_DLM, (div >> 8) & 0xff);
	}
	uart_write(u, UART_LCR, LCR_8N1);
	uart_write(u, UART_FCR, FCR_ENABLE);
}

void uart16550_putc(const struct uart16550 *u, char c)
{
	while (!(uart_read(u, UART_LSR) & LSR_THRE))
		;
	uart_write(u, UART_THR, (uint8_t)c);
}
