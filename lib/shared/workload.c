/* SPDX-License-Identifier: MIT */
/*
 * The workload suite's reference generators (<faultline/workload.h>): integer
 * arithmetic only, no allocation, so the same code runs in a pager client on
 * Faultline and in the host simulator.
 */
#include <faultline/workload.h>
#include <string.h>

static const char *const names[WL_KINDS] = {
	[WL_SEQ] = "seq", [WL_LOOP] = "loop", [WL_ZIPF] = "zipf",
	[WL_HOTSCAN] = "hotscan", [WL_PHASES] = "phases", [WL_UNIFORM] = "uniform",
};

enum wl_kind wl_kind_of(const char *name)
{
	for (unsigned k = 0; k < WL_KINDS; k++)
		if (!strcmp(name, names[k]))
			return (enum wl_kind)k;
	return WL_KINDS;
}

const char *wl_name(enum wl_kind kind)
{
	return kind < WL_KINDS ? names[kind] : "?";
}

/* rnd: the next number of @w's xorshift64* sequence. */
static uint64_t rnd(struct wl *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dull;
}

void wl_start(struct wl *w, enum wl_kind kind, uint64_t mem, uint64_t seed)
{
	if (mem < 16)
		mem = 16;
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->rng = seed * 2 + 1;
	w->writes = 30;
	w->skew = 100;
	w->unit = mem;
	switch (kind) {
	case WL_SEQ:		/* two passes over 2x memory */
		w->pages = 2 * mem;
		w->refs = 2 * w->pages;
		break;
	case WL_LOOP:		/* four turns of a loop 1/8 larger than memory */
		w->pages = mem + mem / 8;
		w->refs = 4 * w->pages;
		break;
	case WL_ZIPF:
		w->pages = 4 * mem;
		w->refs = 8 * mem;
		wl_skew(w, 100);
		break;
	case WL_HOTSCAN:	/* rounds: 4x the hot set's size at random in it, then a scan */
		w->unit = mem / 2;
		w->pages = w->unit + 2 * mem;
		w->refs = 4 * (4 * w->unit + 2 * mem);
		break;
	case WL_PHASES:		/* 4 phases of 4x the set, each shifted by half of it */
		w->unit = mem / 2;
		w->pages = w->unit + 3 * (w->unit / 2);
		w->refs = 4 * 4 * w->unit;
		break;
	default:		/* uniform */
		w->kind = WL_UNIFORM;
		w->pages = 2 * mem;
		w->refs = 4 * mem;
		break;
	}
}

/* log_bits: the largest b with 2^b <= @n (@n >= 1). */
static unsigned log_bits(uint64_t n)
{
	unsigned bits = 0;

	while ((2ull << bits) <= n)
		bits++;
	return bits;
}

/* 2^(-1/100) in Q32: the weights below are its powers, in integers only,
 * so that the client and the simulator draw the same ranks. */
#define Q32_2_POW_MINUS_CENTI 4265299790ull

bool wl_skew(struct wl *w, unsigned skew)
{
	uint64_t n = w->pages ? w->pages : 1, total = 0;	/* n < 2^32: no overflow below */
	unsigned bits = log_bits(n);

	if (skew < WL_SKEW_MIN || skew > WL_SKEW_MAX)
		return false;
	w->skew = skew;
	w->nbuckets = bits + 1;
	/* rank bucket b holds 2^b ranks of weight about 2^(-b s) each: its
	 * weight is 2^(b (1 - s)), scaled so that the largest is 2^32; the
	 * last bucket, cut at n, by the ranks it really holds */
	for (unsigned b = 0; b <= bits; b++) {
		unsigned e = skew < 100 ? (bits - b) * (100 - skew) : b * (skew - 100);
		uint64_t weight = 1ull << 32;

		for (unsigned k = 0; k < e % 100; k++)
			weight = weight * Q32_2_POW_MINUS_CENTI >> 32;
		weight = e / 100 < 64 ? weight >> (e / 100) : 0;
		if (b == bits && bits)	/* ranks [2^bits - 1, n): n - 2^bits + 1 of 2^bits */
			weight = (weight >> 1) * (n - (1ull << bits) + 1) >> (bits - 1);
		total += weight;
		w->cum[b] = total;
	}
	return true;
}

/* zipf_rank: a rank below @n, rank r drawn with probability about r^-s: a
 * magnitude (a bucket of ranks [2^b - 1, 2^(b+1) - 1), the last one cut at
 * @n) by its weight (wl_skew), then a rank uniform in it. (Ranks past @n are
 * not folded onto the last one, which piled up to a third of the references
 * on one page, nor is the cut bucket drawn as if whole.) */
static uint64_t zipf_rank(struct wl *w, uint64_t n)
{
	uint64_t x = rnd(w) % w->cum[w->nbuckets - 1];
	unsigned b;

	for (b = 0; w->cum[b] <= x; b++)
		;
	uint64_t top = 1ull << b;			/* 1 .. 2^bits */
	uint64_t span = top - 1 + top <= n ? top : n - (top - 1);

	return top - 1 + rnd(w) % span;		/* [top-1, min(2top-1, n)) */
}

bool wl_next(struct wl *w, uint64_t *page, bool *write)
{
	uint64_t i = w->i, p;

	if (i >= w->refs)
		return false;
	switch (w->kind) {
	case WL_SEQ:
	case WL_LOOP:
		p = i % w->pages;
		break;
	case WL_ZIPF:		/* ranks scattered over the pages (a bijection) */
		p = (zipf_rank(w, w->pages) * 2654435761ull) % w->pages;
		break;
	case WL_HOTSCAN: {
		uint64_t round = 4 * w->unit + (w->pages - w->unit), at = i % round;

		p = at < 4 * w->unit ? rnd(w) % w->unit : w->unit + (at - 4 * w->unit);
		break;
	}
	case WL_PHASES: {
		uint64_t phase = i / (4 * w->unit);

		p = phase * (w->unit / 2) + rnd(w) % w->unit;
		break;
	}
	default:
		p = rnd(w) % w->pages;
		break;
	}
	*page = p;
	*write = rnd(w) % 100 < w->writes;
	w->i++;
	return true;
}
