/* SPDX-License-Identifier: MIT */
/*
 * Run-time assertions for the invariants the kernel relies on (IPC states,
 * queue membership, handle types, frame counts). A kernel configured with
 * `meson configure -Dkassert=true` (tools/faultline test --kassert does) checks
 * them and panics with the condition and its place when one fails. In the
 * default build the condition is compiled, so it stays type-checked, but never
 * evaluated: no instruction of any path changes.
 */
#ifndef KERNEL_KASSERT_H
#define KERNEL_KASSERT_H

#ifndef KASSERT_ON
#define KASSERT_ON 0
#endif

/* kassert_fail: report a failed KASSERT and stop (panic). */
__attribute__((noreturn, cold)) void kassert_fail(const char *what, const char *cond,
						  const char *file, int line);

/* KASSERT: @cond must hold here; @what names the check ("function: what"). */
#define KASSERT(cond, what)                                                          \
	do {                                                                         \
		if (KASSERT_ON && __builtin_expect(!(cond), 0))                      \
			kassert_fail(what, #cond, __FILE__, __LINE__);               \
	} while (0)

#endif
