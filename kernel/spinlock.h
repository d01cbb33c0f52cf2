/* SPDX-License-Identifier: MIT */
/* A test-and-set spinlock over C11-style atomic builtins. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>

struct spinlock {
	int locked;
};

static inline bool spin_trylock(struct spinlock *l)
{
	long old;

	/* amoswap.w.aq (A extension): what __atomic_exchange_n compiles to,
	 * without the sign extension GCC adds to its int result */
	__asm__ volatile("amoswap.w.aq %0, %2, %1" : "=r"(old), "+A"(l->locked) : "r"(1L) : "memory");
	return !old;
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
