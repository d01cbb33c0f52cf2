/* SPDX-License-Identifier: MIT */
/*
 * Interrupts as messages. An IRQ object stands for one PLIC source; bound to an
 * endpoint, each interrupt becomes a LABEL_IRQ message to a thread receiving
 * there, or a pending flag the next receive finds: nothing is allocated or
 * queued. The source stays masked until the handler acknowledges it.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "handle.h"
#include "task.h"

#define IRQ_MAX 32

struct irq {
	struct kobj obj;	/* KOBJ_IRQ; type 0 = free slot */
	unsigned num;		/* PLIC source */
	struct handle ep;	/* bound endpoint (obj NULL: unbound) */
	bool pending;		/* fired while nobody was receiving */
	bool in_service;	/* claimed, not acknowledged */
	struct irq *next;	/* in the bound endpoint's list */
};

/* irq_init: interrupts go to PLIC @context (the boot hart's S-mode context). */
void irq_init(unsigned context);

/* irq_alloc: an IRQ object for source @num; NULL if full. */
struct irq *irq_alloc(unsigned num);

/* irq_bind: deliver @irq's interrupts to the endpoint of handle @ep. */
void irq_bind(struct irq *irq, const struct handle *ep);

/* irq_ack: @irq was handled: unmask it. Returns 0, or -ERR_INVAL if it was not
 * in service. */
int irq_ack(struct irq *irq);

/* irq_external: claim and deliver every pending external interrupt. */
void irq_external(void);

/* irq_take_pending: if an IRQ bound to @ep is pending, put its message in
 * @t's registers and return true. */
bool irq_take_pending(struct endpoint *ep, struct thread *t);

/* irq_unbind_all: @ep dies: its IRQs become unbound and masked. */
void irq_unbind_all(struct endpoint *ep);

#endif
