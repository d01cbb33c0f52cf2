/* SPDX-License-Identifier: MIT */
#include "handle.h"

#include "task.h"

#include <faultline/errno.h>

int handle_get(struct task *task, unsigned long h, enum kobj_type type, uint8_t rights,
	       struct handle *out)
{
	const struct handle *hd;

	if (h >= TASK_HANDLES)
		return -ERR_HANDLE;
	hd = &task->handles[h];
	if (!hd->obj || hd->gen != hd->obj->gen || (type && hd->obj->type != type))
		return -ERR_HANDLE;
	if ((hd->rights & rights) != rights)
		return -ERR_DENIED;
	*out = *hd;
	return 0;
}

bool handle_free_slot(const struct task *task)
{
	for (unsigned i = 0; i < TASK_HANDLES; i++)
		if (!task->handles[i].obj)
			return true;
	return false;
}

long handle_install(struct task *task, const struct handle *hd)
{
	for (unsigned i = 0; i < TASK_HANDLES; i++) {
		if (!task->handles[i].obj) {
			task->handles[i] = *hd;
			return i;
		}
	}
	return -ERR_NOSPC;
}

int handle_close(struct task *task, unsigned long h)
{
	if (h >= TASK_HANDLES || !task->handles[h].obj)
		return -ERR_HANDLE;
	task->handles[h] = (struct handle){ 0 };
	return 0;
}
