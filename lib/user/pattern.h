/* SPDX-License-Identifier: MIT */
/*
 * Test patterns for memory that goes to swap and back: every 8-byte word of a
 * page holds a value derived from its own address and a seed, so that a page
 * read back from the wrong slot, a stale copy or a lost write shows up as a
 * mismatch. Used by the demo and the swap tests.
 */
#ifndef USER_PATTERN_H
#define USER_PATTERN_H

#include <stdint.h>

/* pattern_word: the value of the word at @addr under @seed (a 64-bit mix). */
static inline uint64_t pattern_word(uint64_t addr, uint64_t seed)
{
	uint64_t x = addr ^ (seed * 0x9e3779b97f4a7c15ull);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	return x;
}

/* pattern_fill: write the page at @page under @seed. */
static inline void pattern_fill(uint64_t page, uint64_t seed)
{
	volatile uint64_t *w = (uint64_t *)page;

	for (unsigned i = 0; i < 512; i++)
		w[i] = pattern_word(page + 8 * i, seed);
}

/* pattern_check: how many words of the page at @page differ from @seed's. */
static inline unsigned pattern_check(uint64_t page, uint64_t seed)
{
	const volatile uint64_t *w = (const uint64_t *)page;
	unsigned bad = 0;

	for (unsigned i = 0; i < 512; i++)
		bad += w[i] != pattern_word(page + 8 * i, seed);
	return bad;
}

/* pattern_gcd: the greatest common divisor of @a and @b. */
static inline uint64_t pattern_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* pattern_order: the @i-th page (of @n) visited in order @order: 0 forward,
 * 1 backward, 2 strided (a step coprime with n), 3 scattered (an affine
 * permutation with a large multiplier coprime with n). */
static inline uint64_t pattern_order(uint64_t i, uint64_t n, unsigned order)
{
	uint64_t step = order == 2 ? 7919 : 2654435761u;

	if (order == 1)
		return n - 1 - i;
	if (order != 2 && order != 3)
		return i;
	while (pattern_gcd(step, n) != 1)
		step++;
	return (i * step + (order == 3 ? n / 3 : 0)) % n;
}

#endif
