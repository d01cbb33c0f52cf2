/* SPDX-License-Identifier: MIT */
#include "vm.h"

#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/pt.h>
#include <faultline/errno.h>
#include <string.h>

/* pool_take: a zeroed frame from the pool of the task @ctx (pt_alloc hook). */
static paddr_t pool_take(void *ctx)
{
	struct task *task = ctx;
	paddr_t pa = task->pool;

	KASSERT(!pa == !task->pool_count, "pool_take: the pool's count and list disagree");
	if (!pa)
		return 0;
	task->pool = *(paddr_t *)phys_to_virt(pa);
	task->pool_count--;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* vm_mem_handle: the pmem or device object named by @h with @rights; the
 * handle's full rights in *@has. */
static inline int vm_mem_handle(struct task *caller, unsigned long h, uint8_t rights, struct pmem **out,
			 uint8_t *has)
{
	const struct handle *hd;
	int err = handle_ref(caller->handles, h, KOBJ_NONE, rights, &hd);

	if (err)
		return err;
	if (hd->obj->type != KOBJ_PMEM && hd->obj->type != KOBJ_DEVICE)
		return -ERR_HANDLE;
	*out = pmem_of(hd->obj);
	*has = hd->rights;
	return 0;
}

/* VM_PTE_RWX: the PTE bits of VM_* combination @p, one for one. */
#define VM_PTE_RWX(p) \
	(((p) & VM_R ? PTE_R : 0) | ((p) & VM_W ? PTE_W : 0) | ((p) & VM_X ? PTE_X : 0))

/* VM_PTE: VM_PTE_RWX for a combination the rule allows (VM_PERMS_ALLOWED,
 * <faultline/syscall.h>), 0 for one it refuses. */
#define VM_PTE(p) ((VM_PERMS_ALLOWED >> (p)) & 1 ? VM_PTE_RWX(p) : 0)

/* The PTE permission bits of each VM_* combination, looked up on the map
 * path (one load): 0 for those refused. */
static const uint8_t vm_perm_pte[VM_PERMS + 1] = {
	VM_PTE(0), VM_PTE(1), VM_PTE(2), VM_PTE(3), VM_PTE(4), VM_PTE(5), VM_PTE(6), VM_PTE(7),
};

/* vm_perms_decode: PTE permission bits for VM_* @perms (no other bits);
 * -ERR_INVAL for none, W without R, or W+X. */
static int vm_perms_decode(unsigned long perms, uint64_t *pte)
{
	*pte = vm_perm_pte[perms & VM_PERMS];
	return *pte ? 0 : -ERR_INVAL;
}

/*
 * vm_flags_decode: PTE bits and page level from VM_* @flags. A and D start
 * clear: the MMU sets them on access (QEMU 7.2 updates them in hardware), and
 * SYS_VM_QUERY reads them.
 */
static int vm_flags_decode(unsigned long flags, uint64_t *pte, unsigned *level)
{
	int err;

	if (flags & ~(unsigned long)(VM_PERMS | (3u << VM_SIZE_SHIFT)))
		return -ERR_INVAL;
	err = vm_perms_decode(flags & VM_PERMS, pte);
	if (err)
		return err;
	*level = (flags >> VM_SIZE_SHIFT) & 3;
	if (*level > 2)
		return -ERR_INVAL;
	*pte |= PTE_U;
	return 0;
}

/* vm_slot_check: nothing mapped at @req's page, and the pool holds the tables
 * that mapping it needs; the walk's slot stays in @req for the map. */
static int vm_slot_check(struct vm_map_req *req)
{
	req->slot = pt_walk(mmu_mode(), req->task->root, req->va, req->level);
	if (req->slot.err)
		return req->slot.err;
	if (pte_valid(*req->slot.pte))
		return -ERR_EXIST;	/* a page, a superpage over it, or smaller pages */
	if (req->slot.level - req->level > req->task->pool_count)
		return -ERR_POOL;
	return 0;
}

/* map_decode: vm_map's checks (see vm.h), filling in @req. */
static inline __attribute__((always_inline)) int
map_decode(struct task *caller, vaddr_t va, unsigned long mem_h, uint64_t offset,
	   unsigned long flags, struct vm_map_req *req)
{
	struct pmem *mem;
	uint64_t size;
	uint8_t has;
	int err = vm_flags_decode(flags, &req->pte_flags, &req->level);

	if (!err)
		err = vm_mem_handle(caller, mem_h, RIGHT_MAP | (flags & VM_W ? RIGHT_WRITE : 0), &mem,
				    &has);
	if (err)
		return err;
	if (has & RIGHT_WRITE)
		req->pte_flags |= PTE_SW_WRITABLE;	/* protect may add W later */
	size = pt_level_size(req->level);
	if (offset >= mem->size || size > mem->size - offset)
		return -ERR_RANGE;
	if ((va | (mem->base + offset)) & (size - 1))
		return -ERR_ALIGN;
	if (va >= mmu_user_top() || size > mmu_user_top() - va)
		return -ERR_RANGE;
	req->va = va;
	req->pa = mem->base + offset;
	req->ram = mem->obj.type == KOBJ_PMEM;
	/* a stale frame (its unmap's remote fence deferred) fails the fast
	 * test too: the slow one fences first, so no frame is mapped anew
	 * while another hart may still reach it through an earlier mapping */
	if (req->ram && !frames_can_map(req->pa, size) && !frames_can_map_slow(req->pa, size))
		return -ERR_DENIED;
	return vm_slot_check(req);
}

/* vm_map_grow: link the tables @req's map needs (from the task's pool, which
 * map_decode found deep enough); the slot they end at. */
static pte_t *__attribute__((noinline)) vm_map_grow(const struct vm_map_req *req)
{
	struct pt_alloc alloc = { pool_take, req->task };
	struct pt_slot slot = req->slot;

	pt_grow(&slot, req->va, req->level, &alloc);
	return slot.pte;
}

/* map_perform: carry out a decoded request (it cannot fail). */
static inline __attribute__((always_inline)) void map_perform(const struct vm_map_req *req)
{
	pte_t *pte = req->slot.level > req->level ? vm_map_grow(req) : req->slot.pte;
	int err = pt_put(pte, req->pa, req->pte_flags);

	(void)err;	/* map_decode checked every way it can fail */
	if (req->ram)
		frames_mapped(req->pa, pt_level_size(req->level), 1);
	mmu_flush_page(req->va);
	if (req->pte_flags & PTE_X)
		mmu_sync_icache();	/* the frame may hold freshly written code */
}

int vm_map(struct task *caller, vaddr_t va, unsigned long mem_h, uint64_t offset,
	   unsigned long flags, int veto, struct vm_map_req *req)
{
	int err = map_decode(caller, va, mem_h, offset, flags, req);

	if (!err)
		err = veto;
	if (!err)
		map_perform(req);
	return err;
}

/* vm_leaf: the leaf PTE mapping the page that starts at @va in @task. */
static int vm_leaf(struct task *task, vaddr_t va, struct pt_slot *slot)
{
	if (va >= mmu_user_top())
		return -ERR_RANGE;
	*slot = pt_walk(mmu_mode(), task->root, va, 0);
	if (slot->err)
		return slot->err;
	if (!pte_is_leaf(*slot->pte))
		return -ERR_NOENT;
	if (va & (pt_level_size(slot->level) - 1))
		return -ERR_ALIGN;
	return 0;
}

int vm_unmap(struct task *task, vaddr_t va, bool defer)
{
	struct pt_slot slot;
	paddr_t pa;
	pte_t pte;
	int err = vm_leaf(task, va, &slot);

	if (err)
		return err;
	/* one atomic swap: a hart's table walk sets A or D in the PTE or faults,
	 * so the bits read here are the page's last */
	pte = __atomic_exchange_n(slot.pte, 0, __ATOMIC_SEQ_CST);
	pa = pte_pa(pte);
	frames_mapped(pa, pt_level_size(slot.level), -1);	/* device frames are not counted */
	if (defer && slot.level == 0 && frame_is_ram(pa)) {	/* the frame table marks it */
		mmu_flush_page(va);
		mmu_fence_later(&task->asid);
		frames_stale(pa);	/* fenced before it is mapped again */
	} else {
		mmu_shootdown(&task->asid, va, pt_level_size(slot.level));
	}
	return (pte & PTE_A ? UNMAP_ACCESSED : 0) | (pte & PTE_D ? UNMAP_DIRTY : 0);
}

int vm_table_frame(struct task *caller, unsigned long mem_h, uint64_t offset, paddr_t *pa)
{
	struct pmem *mem;
	uint8_t has;
	int err = vm_mem_handle(caller, mem_h, RIGHT_MAP | RIGHT_WRITE, &mem, &has);

	if (err)
		return err;
	if (mem->obj.type != KOBJ_PMEM)
		return -ERR_HANDLE;	/* device registers cannot hold tables */
	if (offset & (PAGE_SIZE - 1))
		return -ERR_ALIGN;
	if (offset >= mem->size)
		return -ERR_RANGE;
	*pa = mem->base + offset;
	if (frame_state_stale(frames_state(*pa)))
		frames_fence_stale();	/* no hart reaches it through an old mapping */
	if (frames_state(*pa) != 0)
		return -ERR_DENIED;	/* mapped somewhere, or already a table */
	return 0;
}

void vm_task_init(struct task *task, paddr_t root)
{
	frames_set_table(root, true);
	memset(phys_to_virt(root), 0, PAGE_SIZE);
	task->root = root;
	mmu_user_root_init(root);
}

int vm_protect(struct task *task, vaddr_t va, unsigned long perms)
{
	struct pt_slot slot;
	uint64_t pte;
	int err = perms & ~(unsigned long)VM_PERMS ? -ERR_INVAL : 0;

	if (!err)
		err = vm_perms_decode(perms, &pte);
	if (!err)
		err = vm_leaf(task, va, &slot);
	if (err)
		return err;
	if ((pte & PTE_W) && !(*slot.pte & PTE_SW_WRITABLE))
		return -ERR_DENIED;	/* mapped from a handle without WRITE */
	/* a compare-and-swap loop: an A or D bit set by a hart meanwhile stays */
	for (pte_t old = *slot.pte;
	     !__atomic_compare_exchange_n(slot.pte, &old, (old & ~(pte_t)PTE_PERM_MASK) | pte, false,
					  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);)
		;
	mmu_shootdown(&task->asid, va, pt_level_size(slot.level));
	if (pte & PTE_X)
		mmu_sync_icache();
	return 0;
}

/* query_page: bit @i of @q from the page at @page of @task, clearing @bits
 * (this hart's TLB forgets the page; true if a bit was cleared, and the
 * other harts must too). */
static bool query_page(struct task *task, vaddr_t page, pte_t bits, unsigned i,
		       struct vm_query *q)
{
	struct pt_slot slot = pt_walk(mmu_mode(), task->root, page, 0);
	pte_t pte;

	if (slot.err || !pte_is_leaf(*slot.pte))
		return false;
	/* atomic: a hart's table walk may set A or D meanwhile */
	pte = bits ? __atomic_fetch_and(slot.pte, ~bits, __ATOMIC_SEQ_CST) : *slot.pte;
	q->accessed |= (pte & PTE_A ? 1ul : 0) << i;
	q->dirty |= (pte & PTE_D ? 1ul : 0) << i;
	if (!(bits & pte))
		return false;
	mmu_flush_page(page);
	return true;
}

/* query_fence: the other harts forget what a query of @task cleared: [@va,
 * @va + @size) now, or with QUERY_DEFER in @clear when the deferred fences
 * go (one fence a call, not one a page). */
static void query_fence(struct task *task, bool cleared, unsigned long clear, vaddr_t va,
			uint64_t size)
{
	if (!cleared)
		return;
	if (clear & QUERY_DEFER)
		mmu_fence_later(&task->asid);
	else
		mmu_shootdown_remote(&task->asid, va, size);
}

/* query_bits: the PTE bits @clear names; -ERR_INVAL in *@err for others,
 * and for QUERY_DEFER with QUERY_CLEAR_D: another hart would go on writing
 * through a cached dirty entry while the PTE says clean, and a page written
 * meanwhile could be taken for clean. */
static pte_t query_bits(unsigned long clear, unsigned long allowed, int *err)
{
	if ((clear & ~allowed) || ((clear & QUERY_DEFER) && (clear & QUERY_CLEAR_D)))
		*err = -ERR_INVAL;
	return (clear & QUERY_CLEAR_A ? PTE_A : 0) | (clear & QUERY_CLEAR_D ? PTE_D : 0);
}

struct vm_query vm_query(struct task *task, vaddr_t va, unsigned long clear)
{
	struct vm_query q = { 0, 0, 0 };
	unsigned pages = clear & QUERY_ONE ? 1 : QUERY_PAGES, i;
	pte_t bits = query_bits(clear, QUERY_CLEAR_A | QUERY_CLEAR_D | QUERY_ONE | QUERY_DEFER,
				&q.err);
	bool cleared = false;

	if (!q.err && ((va & (PAGE_SIZE - 1)) || va >= mmu_user_top()))
		q.err = va >= mmu_user_top() ? -ERR_RANGE : -ERR_ALIGN;
	if (q.err)
		return q;
	for (i = 0; i < pages && va + i * PAGE_SIZE < mmu_user_top(); i++)
		cleared |= query_page(task, va + i * PAGE_SIZE, bits, i, &q);
	query_fence(task, cleared, clear, va, (uint64_t)i * PAGE_SIZE);
	return q;
}

struct vm_query vm_query_list(struct task *task, const vaddr_t *pages, unsigned n,
			      unsigned long clear)
{
	struct vm_query q = { 0, 0, 0 };
	pte_t bits = query_bits(clear, QUERY_CLEAR_A | QUERY_CLEAR_D | QUERY_LIST | QUERY_DEFER,
				&q.err);
	bool cleared = false;

	if (n == 0 || n > QUERY_PAGES)
		q.err = -ERR_INVAL;
	for (unsigned i = 0; i < n && !q.err; i++)	/* all checked before any is cleared */
		if ((pages[i] & (PAGE_SIZE - 1)) || pages[i] >= mmu_user_top())
			q.err = pages[i] >= mmu_user_top() ? -ERR_RANGE : -ERR_ALIGN;
	for (unsigned i = 0; i < n && !q.err; i++)
		cleared |= query_page(task, pages[i], bits, i, &q);
	query_fence(task, cleared, clear, 0, (uint64_t)-1);	/* scattered: whole */
	return q;
}

int vm_pool_add(struct task *caller, struct task *task, unsigned long mem_h, uint64_t offset)
{
	paddr_t pa;
	int err = vm_table_frame(caller, mem_h, offset, &pa);

	if (err)
		return err;
	frames_set_table(pa, true);
	*(paddr_t *)phys_to_virt(pa) = task->pool;
	task->pool = pa;
	task->pool_count++;
	return 0;
}

/* vm_release_table: forget the mappings and tables below the table at @pa
 * (level @level), entries [@from, @to). */
static void vm_release_table(paddr_t pa, unsigned level, unsigned from, unsigned to)
{
	pte_t *table = pt_table_ptr(pa);

	for (unsigned i = from; i < to; i++) {
		pte_t pte = table[i];

		if (pte_is_leaf(pte)) {
			frames_mapped(pte_pa(pte), pt_level_size(level), -1);
		} else if (pte_is_table(pte)) {
			vm_release_table(pte_pa(pte), level - 1, 0, PT_ENTRIES);
			frames_set_table(pte_pa(pte), false);
		}
	}
}

void vm_task_release(struct task *task)
{
	/* the user half only: the upper half is the kernel's, shared */
	vm_release_table(task->root, mmu_mode()->levels - 1, 0, PT_ENTRIES / 2);
	frames_set_table(task->root, false);
	while (task->pool)
		frames_set_table(pool_take(task), false);
	mmu_shootdown(&task->asid, 0, (uint64_t)-1);	/* no hart keeps its translations */
}
