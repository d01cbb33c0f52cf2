/* SPDX-License-Identifier: MIT */
/*
 * What the kernel learns from the flattened device tree (Devicetree
 * Specification 0.4; RISC-V bindings in Linux's Documentation/devicetree),
 * read with libfdt. dt_parse() validates everything it records and fills a
 * plain struct; it prints nothing. Strings point into the blob. Pure C over
 * libfdt: shared with the host unit tests, which parse dumped QEMU trees.
 */
#ifndef KERNEL_DT_H
#define KERNEL_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_MAX_RAM	8
#define DT_MAX_RESERVED	16
#define DT_MAX_CPUS	16
#define DT_MAX_VIRTIO	16

#define DT_MMU_NONE	1
#define DT_MIN_TIMEBASE_HZ 1000
#define DT_IRQ_S_EXT	9	/* the hart-local cause of supervisor external interrupts */	/* mmu-type "riscv,none"; 0 = property absent */

struct dt_range {
	uint64_t base;
	uint64_t size;
};

struct dt_reserved {
	struct dt_range reg;
	const char *name;	/* node name, or "memreserve" for /memreserve/ */
	bool no_map;
};

struct dt_cpu {
	uint64_t hartid;
	bool okay;		/* status absent or "okay" */
	unsigned mmu_bits;	/* 39, 48, 57, DT_MMU_NONE, or 0 if absent */
	bool sstc;		/* riscv,isa lists the Sstc extension */
	const char *isa;
	uint32_t intc_phandle;	/* its interrupt-controller node, 0 if none */
	int plic_s_context;	/* its S-mode PLIC context, -1 if none */
};

/* A memory-mapped device node. */
struct dt_device {
	bool present;
	struct dt_range reg;
	const char *name;	/* node name, e.g. "serial@10000000" */
	uint32_t irq;		/* first cell of "interrupts", 0 if none */
};

struct dt_info {
	uint32_t dtb_size;		/* totalsize from the header */
	const char *model;

	struct dt_range ram[DT_MAX_RAM];
	unsigned nram;
	struct dt_reserved reserved[DT_MAX_RESERVED];
	unsigned nreserved;

	struct dt_cpu cpus[DT_MAX_CPUS];
	unsigned ncpus;			/* recorded (at most DT_MAX_CPUS) */
	unsigned ncpus_found;		/* cpu nodes in the tree */
	uint32_t timebase_hz;

	struct dt_device uart;		/* from /chosen/stdout-path, ns16550 */
	uint32_t uart_clock_hz;
	uint32_t uart_reg_shift;
	uint32_t uart_reg_io_width;
	const char *stdout_path;

	struct dt_device plic;
	uint32_t plic_ndev;
	struct dt_device rtc;		/* google,goldfish-rtc */
	struct dt_device finisher;	/* sifive,test0 */
	struct dt_device virtio[DT_MAX_VIRTIO];	/* sorted by address */
	unsigned nvirtio;

	bool has_initrd;
	uint64_t initrd_start;
	uint64_t initrd_end;
	const char *bootargs;		/* "" if absent */
};

/* Where parsing failed: the node path (or "header") and what was wrong. */
struct dt_error {
	const char *node;
	const char *what;
};

/*
 * dt_parse: read the tree at @fdt into @info in one pass over its nodes.
 * Returns 0, or -ERR_BADDT with @err naming the first node found malformed or
 * missing (a missing /memory or /cpus, a reg that is not a whole number of
 * (address, size) entries, a cpu without reg, no timebase-frequency, an initrd
 * end before its start, ...). Optional devices that are absent leave their
 * `present` false. After an error the pass still completes, so
 * info->finisher is valid if its node was well formed (to exit QEMU with a
 * failure status); the rest of @info is then unspecified.
 */
int dt_parse(const void *fdt, struct dt_info *info, struct dt_error *err);

/* dt_cpu_index: the index in info->cpus of hart @hartid, or -1. */
int dt_cpu_index(const struct dt_info *info, uint64_t hartid);

/* dt_isa_has: true if ISA string @isa lists multi-letter extension @ext. */
bool dt_isa_has(const char *isa, const char *ext);

#endif
