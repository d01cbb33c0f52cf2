/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects and handles. Every object a handle can name starts with a
 * struct kobj: its type and a generation that changes when the object dies, so
 * that handles to a dead object (in any task) are stale and refused. A task's
 * handle table is a fixed array; a handle number is an index into it.
 */
#ifndef KERNEL_HANDLE_H
#define KERNEL_HANDLE_H

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* container_of: the struct of @type whose @member is at @p. */
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

#define TASK_HANDLES LIMIT_HANDLES

/* The numbers are the ABI's HANDLE_* types. */
enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_TASK = HANDLE_TASK,
	KOBJ_THREAD = HANDLE_THREAD,
	KOBJ_ENDPOINT = HANDLE_ENDPOINT,
	KOBJ_PMEM = HANDLE_PMEM,
	KOBJ_DEVICE = HANDLE_DEVICE,
	KOBJ_IRQ = HANDLE_IRQ,
	KOBJ_REPLY = HANDLE_REPLY,
};

/* A kernel object's head. @refs counts the handles to it in task tables
 * (stale ones not included): when the last is closed the object may be freed
 * (kobj_unreferenced). */
struct kobj {
	uint8_t type;
	uint32_t gen;
	uint32_t refs;
};

struct handle {
	struct kobj *obj;	/* NULL: a free slot */
	uint32_t gen;		/* obj->gen when made; different means stale */
	uint8_t rights;
	uint64_t badge;
};

struct task;

/*
 * handle_find: the handle number @h of a task's @table if it names a live object of
 * @type (KOBJ_NONE: any) and carries all of @rights, else NULL. Inline: the
 * IPC and fault paths look up handles this way (handle_get says why not).
 */
static inline const struct handle *handle_find(const struct handle table[TASK_HANDLES],
					       unsigned long h, enum kobj_type type, uint8_t rights)
{
	const struct handle *hd;

	if (h >= TASK_HANDLES)
		return NULL;
	hd = &table[h];
	if (!hd->obj || hd->gen != hd->obj->gen || (type && hd->obj->type != type) ||
	    (hd->rights & rights) != rights)
		return NULL;
	return hd;
}

/* handle_ref: handle_find with the reason for a refusal: 0 and *@out, or
 * -ERR_HANDLE (bad number, free, stale, wrong type) or -ERR_DENIED (rights). */
static inline int handle_ref(const struct handle table[TASK_HANDLES], unsigned long h,
			     enum kobj_type type, uint8_t rights, const struct handle **out)
{
	const struct handle *hd = handle_find(table, h, type, 0);

	if (!hd)
		return -ERR_HANDLE;
	if ((hd->rights & rights) != rights)
		return -ERR_DENIED;
	*out = hd;
	return 0;
}

/*
 * handle_get: the handle number @h of @task if it names a live object of
 * @type (KOBJ_NONE: any) and carries all of @rights. Returns 0 and *out, or
 * -ERR_HANDLE (bad number, free, stale, wrong type) or -ERR_DENIED (rights).
 */
int handle_get(struct task *task, unsigned long h, enum kobj_type type, uint8_t rights,
	       struct handle *out);

/* handle_live: whether @hd names an object that is still alive. */
static inline bool handle_live(const struct handle *hd)
{
	return hd->obj && hd->gen == hd->obj->gen;
}

/* handle_install: put @hd in the lowest free slot of @task (a reference to
 * its object if it is alive); the slot number, or -ERR_NOSPC. */
long handle_install(struct task *task, const struct handle *hd);

/* handle_room: true if @task has room for @n more handles. */
bool handle_room(const struct task *task, unsigned n);

/* handle_close: free slot @h of @task; 0 or -ERR_HANDLE. Closing the last
 * handle to an object may free it (kobj_unreferenced). */
int handle_close(struct task *task, unsigned long h);

/* handle_close_all: close every handle of @task (it is ending). */
void handle_close_all(struct task *task);

/* kobj_unreferenced: the last handle to @obj (alive) was closed: free it if
 * nothing else keeps it (task.c: an endpoint always, a task without threads,
 * a thread not started yet, a saved reply: its caller stops waiting). */
void kobj_unreferenced(struct kobj *obj);

/* kobj_kill: make every handle to @obj stale; they count no more. */
static inline void kobj_kill(struct kobj *obj)
{
	obj->gen++;
	obj->refs = 0;
}

#endif
