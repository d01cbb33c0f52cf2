/* SPDX-License-Identifier: MIT */
/*
 * Device register access. RISC-V orders device I/O only with fences (unprivileged
 * spec 2.7 "Memory Ordering Instructions"); as in Linux, a write is preceded by
 * "fence w,o" (earlier memory writes reach memory before the device sees the
 * register write) and a read is followed by "fence i,r" (the device read completes
 * before later memory reads).
 */
#ifndef ARCH_MMIO_H
#define ARCH_MMIO_H

#include <stdint.h>

static inline uint8_t readb(const volatile void *addr)
{
	uint8_t v = *(const volatile uint8_t *)addr;

	__asm__ volatile("fence i,r" : : : "memory");
	return v;
}

static inline uint32_t readl(const volatile void *addr)
{
	uint32_t v = *(const volatile uint32_t *)addr;

	__asm__ volatile("fence i,r" : : : "memory");
	return v;
}

static inline void writeb(uint8_t v, volatile void *addr)
{
	__asm__ volatile("fence w,o" : : : "memory");
	*(volatile uint8_t *)addr = v;
}

static inline void writel(uint32_t v, volatile void *addr)
{
	__asm__ volatile("fence w,o" : : : "memory");
	*(volatile uint32_t *)addr = v;
}

#endif
