/* SPDX-License-Identifier: MIT */
#include "handle.h"

#include "task.h"

#include <faultline/errno.h>

int handle_get(struct task *task, unsigned long h, enum kobj_type type, uint8_t rights,
	       struct handle *out)
{
	const struct handle *hd;
	int err = handle_ref(task->handles, h, type, rights, &hd);

	if (!err)
		*out = *hd;
	return err;
}

bool handle_room(const struct task *task, unsigned n)
{
	for (unsigned i = 0; i < TASK_HANDLES && n; i++)
		n -= !task->handles[i].obj;
	return n == 0;
}

long handle_install(struct task *task, const struct handle *hd)
{
	for (unsigned i = 0; i < TASK_HANDLES; i++) {
		if (!task->handles[i].obj) {
			task->handles[i] = *hd;
			if (handle_live(hd))
				hd->obj->refs++;
			return i;
		}
	}
	return -ERR_NOSPC;
}

int handle_close(struct task *task, unsigned long h)
{
	struct handle hd;

	if (h >= TASK_HANDLES || !task->handles[h].obj)
		return -ERR_HANDLE;
	hd = task->handles[h];
	task->handles[h] = (struct handle){ 0 };
	if (handle_live(&hd)) {
		task_collect_pending |= hd.obj->type == KOBJ_TASK || hd.obj->type == KOBJ_THREAD;
		KASSERT(hd.obj->refs > 0, "handle_close: a live object's reference count is 0");
		if (--hd.obj->refs == 0)
			kobj_unreferenced(hd.obj);
	}
	return 0;
}

void handle_close_all(struct task *task)
{
	for (unsigned i = 0; i < TASK_HANDLES; i++)
		if (task->handles[i].obj)
			handle_close(task, i);
}
