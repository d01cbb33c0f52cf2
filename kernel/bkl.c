/* SPDX-License-Identifier: MIT */
#include "bkl.h"

struct spinlock bkl;
