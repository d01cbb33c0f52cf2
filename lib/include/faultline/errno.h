/* SPDX-License-Identifier: MIT */
/*
 * Faultline error codes: the one shared errno header.
 *
 * Kernel, servers, libraries and host tools return 0 for success or the
 * negative of one of these codes. The names are prefixed ERR_ so that they never
 * clash with picolibc's or the host libc's <errno.h>.
 */
#ifndef FAULTLINE_ERRNO_H
#define FAULTLINE_ERRNO_H

#define ERR_INVAL	1	/* an argument is malformed or out of range */
#define ERR_NOMEM	2	/* no memory (boot allocator, page-table pool) */
#define ERR_EXIST	3	/* the slot is already in use (e.g. a mapping) */
#define ERR_NOENT	4	/* no such object, node or mapping */
#define ERR_RANGE	5	/* an address or size lies outside what is allowed */
#define ERR_NOSPC	6	/* a fixed-size table is full */
#define ERR_ALIGN	7	/* an address or size is not aligned as required */
#define ERR_NOTSUP	8	/* the hardware or firmware lacks the feature */
#define ERR_BADDT	9	/* the device tree is malformed */
#define ERR_TIMEOUT	10	/* a bounded wait expired */
#define ERR_DENIED	11	/* the caller lacks the right or authority */
#define ERR_NOSYS	12	/* no such system call */
#define ERR_HANDLE	13	/* no such handle: free slot, stale, or wrong type */
#define ERR_AGAIN	14	/* a non-blocking call would have blocked */
#define ERR_NOREPLY	15	/* the callee received another message without replying */
#define ERR_POOL	16	/* the task's page-table pool has too few frames */
#define ERR_IO		17	/* a device reported an I/O error */
#define ERR_QUOTA	18	/* the task's quota of that kind of object is used up */

#define ERR_MAX		18

/* err_name: a short name for error code @err (positive or negative), "?" if unknown. */
const char *err_name(int err);

#endif
