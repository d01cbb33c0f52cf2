/* SPDX-License-Identifier: MIT */
/* Register layout: PLIC specification 1.0.0, chapter 3 "Memory Map". */
#include "plic.h"

#include <arch/mmio.h>
#include <stdint.h>

#define PLIC_PRIORITY(irq)	(4u * (irq))
#define PLIC_ENABLE(ctx, irq)	(0x2000u + 0x80u * (ctx) + 4u * ((irq) / 32))
#define PLIC_THRESHOLD(ctx)	(0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)		(0x200004u + 0x1000u * (ctx))

static volatile uint8_t *plic;

void plic_init(void *base, unsigned ndev)
{
	plic = base;
	for (unsigned irq = 1; irq <= ndev; irq++)
		writel(0, plic + PLIC_PRIORITY(irq));
}

void plic_enable(unsigned context, unsigned irq, bool on)
{
	volatile uint8_t *reg = plic + PLIC_ENABLE(context, irq);
	uint32_t bit = 1u << (irq % 32);

	writel(on ? 1 : 0, plic + PLIC_PRIORITY(irq));
	writel(on ? readl(reg) | bit : readl(reg) & ~bit, reg);
}

void plic_threshold(unsigned context, unsigned threshold)
{
	writel(threshold, plic + PLIC_THRESHOLD(context));
}

unsigned plic_claim(unsigned context)
{
	return readl(plic + PLIC_CLAIM(context));
}

void plic_complete(unsigned context, unsigned irq)
{
	writel(irq, plic + PLIC_CLAIM(context));
}
