/* SPDX-License-Identifier: MIT */
/*
 * pager: the default pager (pager=pager). All the work is in the pager
 * library (lib/pager); its policy maps 4 KiB pages, one per fault.
 */
#include <pager.h>

const struct pager_policy pager_policy = {
	.name = "default (4 KiB pages)",
};
