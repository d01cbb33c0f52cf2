/* SPDX-License-Identifier: MIT */
/*
 * The entry point of every pager server: the server's one file defines
 * `pager_policy`; this runs the library with it. (Host builds of a policy
 * leave this file out and call the hooks directly.)
 */
#include "pager.h"

int main(void)
{
	return pager_main(&pager_policy);
}
