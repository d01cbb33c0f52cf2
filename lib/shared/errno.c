/* SPDX-License-Identifier: MIT */
#include <faultline/errno.h>

static const char *const err_names[ERR_MAX + 1] = {
	[0] = "OK",
	[ERR_INVAL] = "EINVAL",
	[ERR_NOMEM] = "ENOMEM",
	[ERR_EXIST] = "EEXIST",
	[ERR_NOENT] = "ENOENT",
	[ERR_RANGE] = "ERANGE",
	[ERR_NOSPC] = "ENOSPC",
	[ERR_ALIGN] = "EALIGN",
	[ERR_NOTSUP] = "ENOTSUP",
	[ERR_BADDT] = "EBADDT",
	[ERR_TIMEOUT] = "ETIMEOUT",
	[ERR_DENIED] = "EDENIED",
	[ERR_NOSYS] = "ENOSYS",
	[ERR_HANDLE] = "EHANDLE",
	[ERR_AGAIN] = "EAGAIN",
	[ERR_NOREPLY] = "ENOREPLY",
	[ERR_POOL] = "EPOOL",
	[ERR_IO] = "EIO",
	[ERR_QUOTA] = "EQUOTA",
};

const char *err_name(int err)
{
	if (err < 0)
		err = -err;
	if (err > ERR_MAX)
		return "?";
	return err_names[err];
}
