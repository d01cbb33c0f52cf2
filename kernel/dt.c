/* SPDX-License-Identifier: MIT */
/*
 * Device-tree parsing with libfdt. Properties are validated before use: a
 * property that is present but malformed is a boot error naming the node; an
 * optional device that is absent is just not present.
 */
#include "dt.h"

#include <faultline/errno.h>
#include <libfdt.h>
#include <string.h>

#define DT_REG_MALFORMED \
	"reg malformed (not whole #address-cells/#size-cells entries, or wraps around)"

/* dt_fail: record where and what (the first failure wins); return the error. */
static int dt_fail(struct dt_error *err, const char *node, const char *what)
{
	if (!err->node) {
		err->node = node;
		err->what = what;
	}
	return -ERR_BADDT;
}

/* dt_name: the node's name for messages ("" for the root). */
static const char *dt_name(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	return name ? name : "?";
}

/*
 * dt_string: property @prop of @node as a string. Returns 0 and sets *out,
 * -ERR_NOENT if absent, -ERR_BADDT if empty or not NUL-terminated.
 */
static int dt_string(const void *fdt, int node, const char *prop, const char **out)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);

	if (!s)
		return -ERR_NOENT;
	if (len <= 0 || s[len - 1] != '\0')
		return -ERR_BADDT;
	*out = s;
	return 0;
}

/* dt_uint: a one- or two-cell integer property; 0, -ERR_NOENT or -ERR_BADDT. */
static int dt_uint(const void *fdt, int node, const char *prop, uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p)
		return -ERR_NOENT;
	if (len == 4)
		*out = fdt32_to_cpu(p[0]);
	else if (len == 8)
		*out = ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
	else
		return -ERR_BADDT;
	return 0;
}

/* dt_cells: a number made of @n (1 or 2) big-endian cells at @p. */
static uint64_t dt_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/*
 * dt_reg: entry @index of @node's reg, decoded with @parent's #address-cells
 * and #size-cells. Returns 0, -ERR_NOENT past the last entry (or without reg),
 * -ERR_BADDT if reg is not whole entries, cells are not 1 or 2, or the range
 * wraps around.
 */
static int dt_reg(const void *fdt, int node, int parent, int index, struct dt_range *out)
{
	int ac, sc, len, entry;
	const fdt32_t *p;

	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -ERR_BADDT;
	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p)
		return -ERR_NOENT;
	entry = (ac + sc) * 4;
	if (len <= 0 || len % entry)
		return -ERR_BADDT;
	if ((index + 1) * entry > len)
		return -ERR_NOENT;
	p += index * (ac + sc);
	out->base = dt_cells(p, ac);
	out->size = sc ? dt_cells(p + ac, sc) : 0;
	if (out->base + out->size < out->base)
		return -ERR_BADDT;
	return 0;
}

/* dt_device_at: fill @dev from @node (reg entry 0 required, interrupts optional). */
static int dt_device_at(const void *fdt, int node, int parent, struct dt_device *dev,
			struct dt_error *err)
{
	const fdt32_t *irqs;
	int len, ret;

	dev->name = dt_name(fdt, node);
	ret = dt_reg(fdt, node, parent, 0, &dev->reg);
	if (ret == -ERR_NOENT)
		return dt_fail(err, dev->name, "reg missing");
	if (ret || dev->reg.size == 0)
		return dt_fail(err, dev->name, DT_REG_MALFORMED);
	irqs = fdt_getprop(fdt, node, "interrupts", &len);
	if (irqs && (len < 4 || len % 4))
		return dt_fail(err, dev->name, "interrupts malformed");
	dev->irq = irqs ? fdt32_to_cpu(irqs[0]) : 0;
	dev->present = true;
	return 0;
}

#define DT_MAX_DEPTH 16

/* The single pass over the tree: what it has seen so far. */
struct dt_walk {
	const void *fdt;
	struct dt_info *info;
	struct dt_error *err;
	int cpus;		/* offset of /cpus, or -1 */
	int reserved;		/* offset of /reserved-memory, or -1 */
	int uart;		/* offset of the stdout-path node, or -1 */
	int plic;		/* offset of the PLIC node, or -1 */
	uint64_t timebase;
};

static int dt_memory(struct dt_walk *w, int node, int parent)
{
	struct dt_info *info = w->info;
	struct dt_range r;
	int ret, i;

	for (i = 0; (ret = dt_reg(w->fdt, node, parent, i, &r)) == 0; i++) {
		if (r.size == 0)
			continue;
		if (info->nram == DT_MAX_RAM)
			return dt_fail(w->err, dt_name(w->fdt, node), "too many RAM ranges");
		info->ram[info->nram++] = r;
	}
	if (i == 0 && ret == -ERR_NOENT)
		return dt_fail(w->err, dt_name(w->fdt, node), "reg missing");
	if (ret != -ERR_NOENT)
		return dt_fail(w->err, dt_name(w->fdt, node), DT_REG_MALFORMED);
	return 0;
}

static int dt_add_reserved(struct dt_walk *w, struct dt_range r, const char *name, bool no_map)
{
	struct dt_info *info = w->info;

	if (info->nreserved == DT_MAX_RESERVED)
		return dt_fail(w->err, name, "too many reserved ranges");
	info->reserved[info->nreserved].reg = r;
	info->reserved[info->nreserved].name = name;
	info->reserved[info->nreserved].no_map = no_map;
	info->nreserved++;
	return 0;
}

/* dt_reserved_node: a child of /reserved-memory, each of whose reg entries is
 * kept out of free RAM; one without reg is placed dynamically and keeps nothing
 * fixed out. */
static int dt_reserved_node(struct dt_walk *w, int node, int parent)
{
	const char *name = dt_name(w->fdt, node);
	bool no_map = fdt_getprop(w->fdt, node, "no-map", NULL) != NULL;
	struct dt_range r;
	int ret, i;

	if (!fdt_getprop(w->fdt, node, "reg", NULL))
		return 0;
	for (i = 0; (ret = dt_reg(w->fdt, node, parent, i, &r)) == 0; i++) {
		ret = dt_add_reserved(w, r, name, no_map);
		if (ret)
			return ret;
	}
	if (ret != -ERR_NOENT)
		return dt_fail(w->err, name, DT_REG_MALFORMED);
	return 0;
}

static int dt_memreserve(struct dt_walk *w)
{
	int n = fdt_num_mem_rsv(w->fdt);

	for (int i = 0; i < n; i++) {
		struct dt_range r;
		int ret;

		if (fdt_get_mem_rsv(w->fdt, i, &r.base, &r.size) < 0 || r.base + r.size < r.base)
			return dt_fail(w->err, "/memreserve/", "malformed entry");
		ret = dt_add_reserved(w, r, "memreserve", true);
		if (ret)
			return ret;
	}
	return 0;
}

/* dt_mmu_bits: decode a cpu's mmu-type. */
static int dt_mmu_bits(const void *fdt, int node, unsigned *bits)
{
	static const struct { const char *name; unsigned bits; } types[] = {
		{ "riscv,sv39", 39 }, { "riscv,sv48", 48 }, { "riscv,sv57", 57 },
		{ "riscv,none", DT_MMU_NONE },
	};
	const char *s;
	int ret = dt_string(fdt, node, "mmu-type", &s);

	*bits = 0;
	if (ret == -ERR_NOENT)
		return 0;
	if (ret)
		return ret;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(s, types[i].name))
			*bits = types[i].bits;
	return *bits ? 0 : -ERR_BADDT;
}

static int dt_cpu(struct dt_walk *w, int node, bool enabled)
{
	struct dt_info *info = w->info;
	const char *name = dt_name(w->fdt, node);
	struct dt_cpu *cpu = &info->cpus[info->ncpus];
	const fdt32_t *reg;
	int len;

	info->ncpus_found++;
	if (info->ncpus == DT_MAX_CPUS)
		return 0;
	reg = fdt_getprop(w->fdt, node, "reg", &len);
	if (!reg || (len != 4 && len != 8))
		return dt_fail(w->err, name, "reg (hart id) missing or malformed");
	cpu->hartid = dt_cells(reg, len / 4);
	cpu->okay = enabled;
	if (dt_mmu_bits(w->fdt, node, &cpu->mmu_bits))
		return dt_fail(w->err, name, "mmu-type malformed or unknown");
	if (dt_string(w->fdt, node, "riscv,isa", &cpu->isa))
		return dt_fail(w->err, name, "riscv,isa missing or malformed");
	cpu->sstc = dt_isa_has(cpu->isa, "sstc");
	cpu->plic_s_context = -1;
	{
		int intc = fdt_subnode_offset(w->fdt, node, "interrupt-controller");

		cpu->intc_phandle = intc >= 0 ? fdt_get_phandle(w->fdt, intc) : 0;
	}
	/* The binding allows timebase-frequency in each cpu instead of /cpus. */
	if (w->timebase == 0 && dt_uint(w->fdt, node, "timebase-frequency", &w->timebase) == -ERR_BADDT)
		return dt_fail(w->err, name, "timebase-frequency malformed");
	info->ncpus++;
	return 0;
}

/* dt_u32_opt: optional u32 property @prop, *out = @def if absent; 0 or -ERR_BADDT
 * (wrong size, or a value above 32 bits). */
static int dt_u32_opt(const void *fdt, int node, const char *prop, uint32_t def, uint32_t *out)
{
	uint64_t v;
	int ret = dt_uint(fdt, node, prop, &v);

	if (ret == -ERR_NOENT) {
		*out = def;
		return 0;
	}
	if (ret || v > UINT32_MAX)
		return -ERR_BADDT;
	*out = (uint32_t)v;
	return 0;
}

/* dt_uart: the ns16550 named by /chosen/stdout-path. */
static int dt_uart(struct dt_walk *w, int node, int parent)
{
	struct dt_info *info = w->info;

	if (dt_device_at(w->fdt, node, parent, &info->uart, w->err))
		return -ERR_BADDT;
	if (dt_u32_opt(w->fdt, node, "clock-frequency", 0, &info->uart_clock_hz) ||
	    dt_u32_opt(w->fdt, node, "reg-shift", 0, &info->uart_reg_shift) ||
	    dt_u32_opt(w->fdt, node, "reg-io-width", 1, &info->uart_reg_io_width))
		return dt_fail(w->err, info->uart.name,
			       "clock-frequency, reg-shift or reg-io-width malformed");
	/* byte registers at a stride of 1, 2 or 4; or 32-bit registers 4 apart */
	if (info->uart_reg_shift > 2 ||
	    (info->uart_reg_io_width != 1 && info->uart_reg_io_width != 4) ||
	    (info->uart_reg_io_width == 4 && info->uart_reg_shift != 2))
		return dt_fail(w->err, info->uart.name, "reg-shift or reg-io-width unsupported");
	if (info->uart.reg.size < (8ul << info->uart_reg_shift))
		return dt_fail(w->err, info->uart.name, "reg smaller than the 8 registers");
	return 0;
}

static int dt_plic(struct dt_walk *w, int node, int parent)
{
	struct dt_info *info = w->info;
	uint64_t ndev;

	if (info->plic.present)
		return 0;	/* the first PLIC serves */
	w->plic = node;
	if (dt_device_at(w->fdt, node, parent, &info->plic, w->err))
		return -ERR_BADDT;
	if (dt_uint(w->fdt, node, "riscv,ndev", &ndev) || ndev == 0 || ndev > 1023)
		return dt_fail(w->err, info->plic.name, "riscv,ndev missing or out of range");
	info->plic_ndev = (uint32_t)ndev;
	return 0;
}

static int dt_rtc(struct dt_walk *w, int node, int parent)
{
	if (w->info->rtc.present)
		return 0;
	return dt_device_at(w->fdt, node, parent, &w->info->rtc, w->err);
}

static int dt_finisher(struct dt_walk *w, int node, int parent)
{
	if (w->info->finisher.present)
		return 0;
	return dt_device_at(w->fdt, node, parent, &w->info->finisher, w->err);
}

static int dt_virtio(struct dt_walk *w, int node, int parent)
{
	struct dt_info *info = w->info;
	struct dt_device dev = { 0 };
	unsigned i;

	if (info->nvirtio == DT_MAX_VIRTIO)
		return dt_fail(w->err, dt_name(w->fdt, node), "too many virtio,mmio nodes");
	if (dt_device_at(w->fdt, node, parent, &dev, w->err))
		return -ERR_BADDT;
	/* insertion sort by address: QEMU lists the slots top down */
	for (i = info->nvirtio; i > 0 && info->virtio[i - 1].reg.base > dev.reg.base; i--)
		info->virtio[i] = info->virtio[i - 1];
	info->virtio[i] = dev;
	info->nvirtio++;
	return 0;
}

/* Devices recognised by their compatible string. */
static const struct dt_match {
	const char *compatible;
	int (*visit)(struct dt_walk *w, int node, int parent);
} dt_matches[] = {
	{ "riscv,plic0", dt_plic },
	{ "sifive,plic-1.0.0", dt_plic },
	{ "sifive,test0", dt_finisher },
	{ "google,goldfish-rtc", dt_rtc },
	{ "virtio,mmio", dt_virtio },
};

/* The properties every node is classified by, read in one pass over it. */
struct dt_node_props {
	const char *device_type;	/* NULL if absent */
	const char *compatible;		/* string list, NULL if absent */
	int compatible_len;
	bool enabled;
};

/* dt_node_props: classify @node; libfdt's getprop walks all properties on each
 * call, so this reads them once instead of once per name. */
static void dt_node_props(const void *fdt, int node, struct dt_node_props *p)
{
	int prop;

	*p = (struct dt_node_props){ NULL, NULL, 0, true };
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name, *val;
		int len;

		val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!val || len <= 0 || val[len - 1] != '\0')
			continue;	/* not a string: none of the three */
		if (!strcmp(name, "device_type"))
			p->device_type = val;
		else if (!strcmp(name, "compatible")) {
			p->compatible = val;
			p->compatible_len = len;
		} else if (!strcmp(name, "status"))
			p->enabled = !strcmp(val, "okay") || !strcmp(val, "ok");
	}
}

/* dt_visit: record what @node (at @depth, child of @parent) tells. */
static int dt_visit(struct dt_walk *w, int node, int parent, int depth)
{
	const char *name = dt_name(w->fdt, node);
	struct dt_node_props p;

	if (depth == 1 && !strcmp(name, "cpus")) {
		w->cpus = node;
		if (dt_uint(w->fdt, node, "timebase-frequency", &w->timebase) == -ERR_BADDT)
			return dt_fail(w->err, "/cpus", "timebase-frequency malformed");
	}
	if (depth == 1 && !strcmp(name, "reserved-memory"))
		w->reserved = node;
	if (parent == w->reserved)
		return dt_reserved_node(w, node, parent);
	dt_node_props(w->fdt, node, &p);
	if (p.device_type && !strcmp(p.device_type, "cpu") && parent == w->cpus)
		return dt_cpu(w, node, p.enabled);
	if (!p.enabled)
		return 0;
	if (p.device_type && !strcmp(p.device_type, "memory"))
		return dt_memory(w, node, parent);
	if (!p.compatible)
		return 0;
	if (node == w->uart &&
	    (fdt_stringlist_contains(p.compatible, p.compatible_len, "ns16550a") ||
	     fdt_stringlist_contains(p.compatible, p.compatible_len, "ns16550")))
		return dt_uart(w, node, parent);
	for (size_t i = 0; i < sizeof(dt_matches) / sizeof(dt_matches[0]); i++)
		if (fdt_stringlist_contains(p.compatible, p.compatible_len,
					    dt_matches[i].compatible))
			return dt_matches[i].visit(w, node, parent);
	return 0;
}

static int dt_chosen(struct dt_walk *w)
{
	struct dt_info *info = w->info;
	int chosen = fdt_path_offset(w->fdt, "/chosen");
	const char *colon;
	int r1, r2;

	info->bootargs = "";
	if (chosen < 0)
		return 0;
	if (dt_string(w->fdt, chosen, "bootargs", &info->bootargs) == -ERR_BADDT)
		return dt_fail(w->err, "/chosen", "bootargs malformed");
	if (dt_string(w->fdt, chosen, "stdout-path", &info->stdout_path) == -ERR_BADDT)
		return dt_fail(w->err, "/chosen", "stdout-path malformed");
	if (info->stdout_path) {
		/* "path[:options]"; the path may be an alias */
		colon = strchr(info->stdout_path, ':');
		w->uart = fdt_path_offset_namelen(w->fdt, info->stdout_path,
						  colon ? (int)(colon - info->stdout_path)
							: (int)strlen(info->stdout_path));
		if (w->uart < 0)
			return dt_fail(w->err, "/chosen", "stdout-path names no node");
	}
	r1 = dt_uint(w->fdt, chosen, "linux,initrd-start", &info->initrd_start);
	r2 = dt_uint(w->fdt, chosen, "linux,initrd-end", &info->initrd_end);
	if (r1 == -ERR_NOENT && r2 == -ERR_NOENT)
		return 0;
	if (r1 || r2 || info->initrd_end < info->initrd_start)
		return dt_fail(w->err, "/chosen", "linux,initrd-start/end malformed");
	info->has_initrd = info->initrd_end > info->initrd_start;
	return 0;
}

/* dt_walk_tree: visit every node once, depth first; 0 or the first error. */
static int dt_walk_tree(struct dt_walk *w)
{
	int parents[DT_MAX_DEPTH] = { 0 };
	int depth = 0, node, ret, first = 0;

	for (node = fdt_next_node(w->fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(w->fdt, node, &depth)) {
		if (depth >= DT_MAX_DEPTH) {
			ret = dt_fail(w->err, dt_name(w->fdt, node), "nested deeper than 16 levels");
		} else {
			parents[depth] = node;
			ret = dt_visit(w, node, parents[depth - 1], depth);
		}
		/* keep going after an error: a later finisher is still useful */
		if (ret && !first)
			first = ret;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND && !first)
		first = dt_fail(w->err, "structure", fdt_strerror(node));
	return first;
}

/*
 * dt_plic_contexts: which PLIC context takes each hart's S-mode external
 * interrupts. The PLIC's interrupts-extended lists (intc phandle, cause) pairs,
 * one per context in order; cause 9 is the supervisor external interrupt.
 */
static int dt_plic_contexts(struct dt_walk *w)
{
	const fdt32_t *p;
	int len;

	if (w->plic < 0)
		return 0;
	p = fdt_getprop(w->fdt, w->plic, "interrupts-extended", &len);
	if (!p)
		return 0;
	if (len % 8)
		return dt_fail(w->err, w->info->plic.name, "interrupts-extended malformed");
	for (int ctx = 0; ctx < len / 8; ctx++) {
		uint32_t phandle = fdt32_to_cpu(p[2 * ctx]), cause = fdt32_to_cpu(p[2 * ctx + 1]);

		for (unsigned i = 0; i < w->info->ncpus && cause == DT_IRQ_S_EXT; i++)
			if (w->info->cpus[i].intc_phandle == phandle)
				w->info->cpus[i].plic_s_context = ctx;
	}
	return 0;
}

/*
 * dt_tags_advance: whether every tag of the structure block, read with
 * libfdt's own fdt_next_tag, ends beyond where it starts, up to an FDT_END
 * tag. libfdt as linux-source-6.1 ships it adds a property's length to the
 * offset unchecked: a length of 2^32 - 12 leads back to the property's own
 * tag, and every walk of the tree (a path lookup, a subnode scan) loops for
 * ever, a hang at boot on a bad tree (found by fuzz-host-dt); a length
 * running further back or past the block makes libfdt stop early instead,
 * reported as some later node's error. One pass here, before any lookup,
 * refuses both with one message.
 */
static bool dt_tags_advance(const void *fdt)
{
	int offset = 0, next = 0;

	while (fdt_next_tag(fdt, offset, &next) != FDT_END) {
		if (next <= offset)
			return false;
		offset = next;
	}
	return next > offset;	/* an FDT_END tag, not a premature end (next < 0) */
}

int dt_parse(const void *fdt, struct dt_info *info, struct dt_error *err)
{
	struct dt_walk w = { fdt, info, err, -1, -1, -1, -1, 0 };
	int ret, walk;

	memset(info, 0, sizeof(*info));
	err->node = NULL;
	ret = fdt_check_header(fdt);
	if (ret)
		return dt_fail(err, "header", fdt_strerror(ret));
	/* libfdt reads the structure block in 4-byte and the reservation map in
	 * 8-byte words (devicetree spec 0.4, 5.4 and 5.3.2 align them so) */
	if (fdt_off_dt_struct(fdt) % FDT_TAGSIZE || fdt_off_mem_rsvmap(fdt) % 8)
		return dt_fail(err, "header", "a block is misaligned");
	if (!dt_tags_advance(fdt))
		return dt_fail(err, "structure block", "a tag's length runs back, or past the block's end");
	info->dtb_size = fdt_totalsize(fdt);
	if (dt_string(fdt, 0, "model", &info->model))
		info->model = "(no model)";
	ret = dt_memreserve(&w);
	if (!ret)
		ret = dt_chosen(&w);
	walk = dt_walk_tree(&w);
	if (ret || walk)
		return ret ? ret : walk;
	if (info->nram == 0)
		return dt_fail(err, "/memory", "no memory node (device_type \"memory\")");
	if (w.cpus < 0)
		return dt_fail(err, "/cpus", "missing");
	if (info->ncpus == 0)
		return dt_fail(err, "/cpus", "no cpu nodes");
	/* below 1 kHz the 10 ms tick would round to nothing */
	if (w.timebase < DT_MIN_TIMEBASE_HZ || w.timebase > UINT32_MAX)
		return dt_fail(err, "/cpus", "timebase-frequency missing or out of range "
				"(1 kHz to 4 GHz)");
	info->timebase_hz = (uint32_t)w.timebase;
	return dt_plic_contexts(&w);
}

int dt_cpu_index(const struct dt_info *info, uint64_t hartid)
{
	for (unsigned i = 0; i < info->ncpus; i++)
		if (info->cpus[i].hartid == hartid)
			return (int)i;
	return -1;
}

bool dt_isa_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	const char *p = strchr(isa, '_');

	/* "rv64imafdch_zicsr_..._sstc": multi-letter extensions follow '_' */
	while (p) {
		p++;
		if (!strncmp(p, ext, n) && (p[n] == '_' || p[n] == '\0'))
			return true;
		p = strchr(p, '_');
	}
	return false;
}
