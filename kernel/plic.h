/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V Platform-Level Interrupt Controller (PLIC specification 1.0.0).
 * Knows nothing of the device tree: the caller passes the mapped base.
 */
#ifndef KERNEL_PLIC_H
#define KERNEL_PLIC_H

#include <stdbool.h>

/* plic_init: use the PLIC mapped at @base with sources 1..@ndev. */
void plic_init(void *base, unsigned ndev);

/* plic_enable: route source @irq to @context (priority 1) or stop routing it. */
void plic_enable(unsigned context, unsigned irq, bool on);

/* plic_threshold: interrupts of priority above @threshold reach @context. */
void plic_threshold(unsigned context, unsigned threshold);

/* plic_claim: the highest-priority pending source for @context, 0 if none;
 * it stays masked for @context until plic_complete. */
unsigned plic_claim(unsigned context);

/* plic_complete: @context finished with source @irq. */
void plic_complete(unsigned context, unsigned irq);

#endif
