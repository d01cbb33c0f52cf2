/* SPDX-License-Identifier: MIT */
#include "irq.h"

#include "plic.h"
#include "sched.h"

#include <arch/uctx.h>
#include <faultline/errno.h>
#include <stddef.h>

static struct irq irqs[IRQ_MAX];
static unsigned irq_context;

void irq_init(unsigned context)
{
	irq_context = context;
	plic_threshold(context, 0);
}

struct irq *irq_alloc(unsigned num)
{
	for (unsigned i = 0; i < IRQ_MAX; i++) {
		if (irqs[i].obj.type)
			continue;
		irqs[i].obj.type = KOBJ_IRQ;
		irqs[i].num = num;
		return &irqs[i];
	}
	return NULL;
}

/* irq_unlink: take @irq off its endpoint's list. */
static void irq_unlink(struct irq *irq)
{
	struct irq **link;
	struct endpoint *e;

	if (!irq->ep.obj)
		return;
	e = endpoint_of_obj(irq->ep.obj);
	for (link = &e->irqs; *link; link = &(*link)->next)
		if (*link == irq) {
			*link = irq->next;
			break;
		}
	endpoint_recv_slow(e);
	irq->ep.obj = NULL;
}

void irq_bind(struct irq *irq, const struct handle *ep)
{
	struct endpoint *e = endpoint_of_obj(ep->obj);

	irq_unlink(irq);
	irq->ep = *ep;
	irq->next = e->irqs;
	e->irqs = irq;
	endpoint_recv_slow(e);
	plic_enable(irq_context, irq->num, true);
}

int irq_ack(struct irq *irq)
{
	if (!irq->in_service)
		return -ERR_INVAL;
	irq->in_service = false;
	plic_complete(irq_context, irq->num);
	return 0;
}

/* irq_message: @irq's message in @t's registers. */
static void irq_message(struct irq *irq, struct thread *t)
{
	uctx_set_arg(&t->frame, 0, 0);
	uctx_set_arg(&t->frame, 1, LABEL_IRQ);
	uctx_set_arg(&t->frame, 2 + IRQ_W_NUMBER, irq->num);
	for (unsigned i = 1; i < IPC_WORDS; i++)
		uctx_set_arg(&t->frame, 2 + i, 0);
	uctx_set_arg(&t->frame, 6, (unsigned long)IPC_NO_HANDLE);
	uctx_set_arg(&t->frame, 7, irq->ep.badge);
}

/* irq_by_num: the bound IRQ object of source @num, or NULL. */
static struct irq *irq_by_num(unsigned num)
{
	for (unsigned i = 0; i < IRQ_MAX; i++)
		if (irqs[i].obj.type && irqs[i].num == num && irqs[i].ep.obj)
			return &irqs[i];
	return NULL;
}

void irq_external(void)
{
	unsigned num;

	while ((num = plic_claim(irq_context))) {
		struct irq *irq = irq_by_num(num);
		struct thread *r;

		if (!irq) {	/* nobody wants it any more */
			plic_enable(irq_context, num, false);
			plic_complete(irq_context, num);
			continue;
		}
		irq->in_service = true;
		r = queue_pop(&endpoint_of_obj(irq->ep.obj)->receivers);
		if (!r) {
			irq->pending = true;
			continue;
		}
		r->queue = NULL;
		irq_message(irq, r);
		sched_enqueue(r);
	}
}

bool irq_take_pending(struct endpoint *ep, struct thread *t)
{
	for (struct irq *irq = ep->irqs; irq; irq = irq->next) {
		if (irq->pending) {
			irq->pending = false;
			irq_message(irq, t);
			return true;
		}
	}
	return false;
}

void irq_unbind_all(struct endpoint *ep)
{
	while (ep->irqs) {
		struct irq *irq = ep->irqs;

		plic_enable(irq_context, irq->num, false);
		irq->pending = false;
		if (irq->in_service)
			irq_ack(irq);
		irq_unlink(irq);
	}
}
