/* SPDX-License-Identifier: MIT */
/*
 * Host tests of device-tree parsing (kernel/dt.c) against the dumped QEMU virt
 * trees in dts/, and against malformed variants made from them with libfdt.
 * Usage: test_dt QEMU_128M_SMP1.dtb QEMU_2G_SMP4.dtb
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>
#include <libfdt.h>

#include "dt.h"

#define DTB_MAX 65536

static char dtb_small[DTB_MAX];	/* -m 128M -smp 1 */
static char dtb_big[DTB_MAX];	/* -m 2G -smp 4 */
static char work[DTB_MAX];

static void load(const char *path, char *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, DTB_MAX, f);
	fclose(f);
	if (n == 0 || fdt_check_header(buf)) {
		fprintf(stderr, "%s: not a device tree blob\n", path);
		exit(1);
	}
}

/* editable: a copy of the small tree with room to grow, for malformed variants. */
static void *editable(void)
{
	assert_int_equal(fdt_open_into(dtb_small, work, sizeof(work)), 0);
	return work;
}

static int node(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	assert_true(off >= 0);
	return off;
}

static void test_qemu_128m_smp1(void **state)
{
	struct dt_info info;
	struct dt_error err;
	(void)state;

	assert_int_equal(dt_parse(dtb_small, &info, &err), 0);
	assert_string_equal(info.model, "riscv-virtio,qemu");
	assert_int_equal(info.dtb_size, fdt_totalsize(dtb_small));
	assert_int_equal(info.nram, 1);
	assert_int_equal(info.ram[0].base, 0x80000000);
	assert_int_equal(info.ram[0].size, 128ul << 20);
	assert_int_equal(info.nreserved, 0);	/* OpenSBI adds its node at boot */
	assert_int_equal(info.ncpus, 1);
	assert_int_equal(info.ncpus_found, 1);
	assert_int_equal(info.cpus[0].hartid, 0);
	assert_true(info.cpus[0].okay);
	assert_int_equal(info.cpus[0].mmu_bits, 48);
	assert_true(info.cpus[0].sstc);
	assert_int_equal(info.timebase_hz, 10000000);
	assert_true(info.uart.present);
	assert_string_equal(info.uart.name, "serial@10000000");
	assert_int_equal(info.uart.reg.base, 0x10000000);
	assert_int_equal(info.uart.irq, 10);
	assert_int_equal(info.uart_clock_hz, 3686400);
	assert_int_equal(info.uart_reg_shift, 0);
	assert_int_equal(info.uart_reg_io_width, 1);
	assert_true(info.plic.present);
	assert_int_equal(info.plic.reg.base, 0xc000000);
	assert_int_equal(info.plic_ndev, 96);
	assert_true(info.finisher.present);
	assert_int_equal(info.finisher.reg.base, 0x100000);
	assert_int_equal(info.nvirtio, 8);
	for (unsigned i = 0; i < 8; i++) {
		/* sorted by address; QEMU wires slot i to irq i + 1 */
		assert_int_equal(info.virtio[i].reg.base, 0x10001000 + 0x1000 * i);
		assert_int_equal(info.virtio[i].reg.size, 0x1000);
		assert_int_equal(info.virtio[i].irq, i + 1);
	}
	assert_false(info.has_initrd);
	assert_string_equal(info.bootargs, "");
}

static void test_qemu_2g_smp4(void **state)
{
	struct dt_info info;
	struct dt_error err;
	(void)state;

	assert_int_equal(dt_parse(dtb_big, &info, &err), 0);
	assert_int_equal(info.nram, 1);
	assert_int_equal(info.ram[0].size, 2ul << 30);
	assert_int_equal(info.ncpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(info.cpus[i].hartid, i);
		assert_true(info.cpus[i].okay);
		assert_int_equal(dt_cpu_index(&info, i), (int)i);
	}
	assert_int_equal(dt_cpu_index(&info, 4), -1);
	/* interrupts-extended pairs (M, S) per hart: S-mode context 2i + 1 */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(info.cpus[i].plic_s_context, 2 * i + 1);
	assert_true(info.rtc.present);
	assert_int_equal(info.rtc.reg.base, 0x101000);
	assert_int_equal(info.rtc.irq, 11);
}

/* What OpenSBI and QEMU add at boot: reserved memory, an initrd, bootargs. */
static void test_boot_additions(void **state)
{
	void *fdt = editable();
	struct dt_info info;
	struct dt_error err;
	int rm, fw, chosen;
	(void)state;

	rm = fdt_add_subnode(fdt, 0, "reserved-memory");
	fdt_setprop_u32(fdt, rm, "#address-cells", 2);
	fdt_setprop_u32(fdt, rm, "#size-cells", 2);
	fw = fdt_add_subnode(fdt, rm, "mmode_resv0@80000000");
	fdt_appendprop_addrrange(fdt, rm, fw, "reg", 0x80000000, 0x80000);
	fdt_setprop_empty(fdt, fw, "no-map");
	fdt_add_subnode(fdt, rm, "dynamic");	/* no reg: skipped */
	fdt_add_mem_rsv(fdt, 0x87000000, 0x1000);
	chosen = node(fdt, "/chosen");
	fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x84200000);
	fdt_setprop_u64(fdt, chosen, "linux,initrd-end", 0x84300000);
	fdt_setprop_string(fdt, chosen, "bootargs", "sv=39 timer=sbi");
	assert_int_equal(dt_parse(fdt, &info, &err), 0);
	assert_int_equal(info.nreserved, 2);
	assert_string_equal(info.reserved[0].name, "memreserve");
	assert_int_equal(info.reserved[0].reg.base, 0x87000000);
	assert_string_equal(info.reserved[1].name, "mmode_resv0@80000000");
	assert_int_equal(info.reserved[1].reg.base, 0x80000000);
	assert_int_equal(info.reserved[1].reg.size, 0x80000);
	assert_true(info.reserved[1].no_map);
	assert_true(info.has_initrd);
	assert_int_equal(info.initrd_start, 0x84200000);
	assert_int_equal(info.initrd_end, 0x84300000);
	assert_string_equal(info.bootargs, "sv=39 timer=sbi");
}

/* Every reg entry of a reserved-memory child is kept out of RAM. */
static void test_reserved_several_entries(void **state)
{
	void *fdt = editable();
	struct dt_info info;
	struct dt_error err;
	int rm, fw;
	(void)state;

	rm = fdt_add_subnode(fdt, 0, "reserved-memory");
	fdt_setprop_u32(fdt, rm, "#address-cells", 2);
	fdt_setprop_u32(fdt, rm, "#size-cells", 2);
	fw = fdt_add_subnode(fdt, rm, "fw@84000000");
	fdt_appendprop_addrrange(fdt, rm, fw, "reg", 0x84000000, 0x100000);
	fdt_appendprop_addrrange(fdt, rm, fw, "reg", 0x86000000, 0x100000);
	assert_int_equal(dt_parse(fdt, &info, &err), 0);
	assert_int_equal(info.nreserved, 2);
	assert_int_equal(info.reserved[0].reg.base, 0x84000000);
	assert_int_equal(info.reserved[1].reg.base, 0x86000000);
	assert_string_equal(info.reserved[1].name, "fw@84000000");
}

/* expect_error: dt_parse of @fdt fails naming @where, with @what in the text. */
static void expect_error(void *fdt, const char *where, const char *what)
{
	struct dt_info info;
	struct dt_error err;

	assert_int_equal(dt_parse(fdt, &info, &err), -ERR_BADDT);
	assert_string_equal(err.node, where);
	assert_non_null(strstr(err.what, what));
}

static void test_bad_memory(void **state)
{
	void *fdt = editable();
	int mem = node(fdt, "/memory@80000000");
	static const fdt32_t three_cells[3] = { 0, 0x80000000u, 0 };
	(void)state;

	/* the same defect as dts/bad-memory-reg.dts */
	fdt_setprop(fdt, mem, "reg", three_cells, sizeof(three_cells));
	expect_error(fdt, "memory@80000000", "reg malformed");
	fdt_delprop(fdt, mem, "reg");
	expect_error(fdt, "memory@80000000", "reg missing");
	fdt_del_node(fdt, mem);
	expect_error(fdt, "/memory", "no memory node");
}

static void test_bad_cells(void **state)
{
	void *fdt = editable();
	(void)state;

	fdt_setprop_u32(fdt, 0, "#address-cells", 3);
	expect_error(fdt, "memory@80000000", "reg malformed");
}

static void test_bad_cpus(void **state)
{
	void *fdt = editable();
	(void)state;

	fdt_delprop(fdt, node(fdt, "/cpus"), "timebase-frequency");
	expect_error(fdt, "/cpus", "timebase-frequency");
	fdt = editable();
	fdt_delprop(fdt, node(fdt, "/cpus/cpu@0"), "reg");
	expect_error(fdt, "cpu@0", "hart id");
	fdt = editable();
	fdt_setprop_string(fdt, node(fdt, "/cpus/cpu@0"), "mmu-type", "riscv,sv64");
	expect_error(fdt, "cpu@0", "mmu-type");
	fdt = editable();
	fdt_del_node(fdt, node(fdt, "/cpus"));
	expect_error(fdt, "/cpus", "missing");
}

static void test_bad_chosen(void **state)
{
	void *fdt = editable();
	int chosen = node(fdt, "/chosen");
	(void)state;

	fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x84300000);
	fdt_setprop_u64(fdt, chosen, "linux,initrd-end", 0x84200000);
	expect_error(fdt, "/chosen", "initrd");
	fdt = editable();
	chosen = node(fdt, "/chosen");
	fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x84300000);
	expect_error(fdt, "/chosen", "initrd");
	fdt = editable();
	chosen = node(fdt, "/chosen");
	fdt_setprop(fdt, chosen, "bootargs", "sv=39", 5);	/* no NUL */
	expect_error(fdt, "/chosen", "bootargs");
	fdt = editable();
	fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "/soc/nothing@0");
	expect_error(fdt, "/chosen", "stdout-path");
}

/* A malformed device is an error, yet a well-formed finisher is still found so
 * that the kernel can exit QEMU with a failure status. */
static void test_bad_device_keeps_finisher(void **state)
{
	void *fdt = editable();
	struct dt_info info;
	struct dt_error err;
	(void)state;

	fdt_delprop(fdt, node(fdt, "/soc/virtio_mmio@10001000"), "reg");
	assert_int_equal(dt_parse(fdt, &info, &err), -ERR_BADDT);
	assert_string_equal(err.node, "virtio_mmio@10001000");
	assert_true(info.finisher.present);
	assert_int_equal(info.finisher.reg.base, 0x100000);
}

static void test_bad_uart(void **state)
{
	struct dt_info info;
	struct dt_error err;
	void *fdt;
	int uart;
	(void)state;

	fdt = editable();
	uart = node(fdt, "/soc/serial@10000000");
	fdt_setprop(fdt, uart, "reg-shift", "\0\0", 2);	/* neither u32 nor u64 */
	expect_error(fdt, "serial@10000000", "malformed");
	fdt = editable();
	fdt_setprop_u64(fdt, node(fdt, "/soc/serial@10000000"), "reg-shift", 1ul << 32);
	expect_error(fdt, "serial@10000000", "malformed");
	fdt = editable();
	fdt_setprop_u32(fdt, node(fdt, "/soc/serial@10000000"), "reg-io-width", 4);
	expect_error(fdt, "serial@10000000", "unsupported");	/* 32-bit regs 1 apart */
	fdt = editable();
	uart = node(fdt, "/soc/serial@10000000");
	fdt_setprop_u32(fdt, uart, "reg-io-width", 4);
	fdt_setprop_u32(fdt, uart, "reg-shift", 2);
	assert_int_equal(dt_parse(fdt, &info, &err), 0);	/* 32-bit regs 4 apart */
	assert_int_equal(info.uart_reg_shift, 2);
	fdt_setprop_u64(fdt, uart, "reg", 0x10000000);	/* 16 bytes: too small */
	fdt_appendprop_u64(fdt, uart, "reg", 0x10);
	expect_error(fdt, "serial@10000000", "smaller");
}

static void test_timebase_range(void **state)
{
	void *fdt = editable();
	struct dt_info info;
	struct dt_error err;
	(void)state;

	fdt_setprop_u32(fdt, node(fdt, "/cpus"), "timebase-frequency", 999);
	expect_error(fdt, "/cpus", "out of range");
	fdt_setprop_u32(fdt, node(fdt, "/cpus"), "timebase-frequency", 1000);
	assert_int_equal(dt_parse(fdt, &info, &err), 0);
	assert_int_equal(info.timebase_hz, 1000);
}

static void test_optional_devices(void **state)
{
	void *fdt = editable();
	struct dt_info info;
	struct dt_error err;
	(void)state;

	fdt_delprop(fdt, node(fdt, "/chosen"), "stdout-path");
	fdt_setprop_string(fdt, node(fdt, "/soc/test@100000"), "status", "disabled");
	fdt_setprop_string(fdt, node(fdt, "/soc/virtio_mmio@10008000"), "status", "disabled");
	assert_int_equal(dt_parse(fdt, &info, &err), 0);
	assert_false(info.uart.present);
	assert_false(info.finisher.present);
	assert_int_equal(info.nvirtio, 7);
}

static void test_bad_header(void **state)
{
	void *fdt = editable();
	(void)state;

	((uint32_t *)fdt)[0] = 0;	/* magic */
	expect_error(fdt, "header", "");
}

/* A structure block at an offset libfdt would read misaligned (found by the
 * fuzz-host-dt target: undefined behaviour inside libfdt): refused first. */
static void test_misaligned_block(void **state)
{
	void *fdt = editable();
	(void)state;

	fdt_set_off_dt_struct(fdt, fdt_off_dt_struct(fdt) + 2);
	expect_error(fdt, "header", "misaligned");
	fdt = editable();
	fdt_set_off_mem_rsvmap(fdt, fdt_off_mem_rsvmap(fdt) + 4);
	expect_error(fdt, "header", "misaligned");
}

/* A property length near 2^32 made libfdt's tag walk wrap back to the same
 * tag, and the first path lookup loop for ever (found by fuzz-host-dt as a
 * timeout): refused before any lookup. */
static void test_length_runs_back(void **state)
{
	void *fdt = editable();
	int prop = fdt_first_property_offset(fdt, node(fdt, "/cpus"));
	(void)state;

	assert_true(prop >= 0);
	/* the tag, the length and the name offset are 12 bytes: -12 is itself */
	((uint32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + prop))[1] = cpu_to_fdt32(0xfffffff4u);
	expect_error(fdt, "structure block", "runs back");
	fdt = editable();
	prop = fdt_first_property_offset(fdt, node(fdt, "/memory@80000000"));
	assert_true(prop >= 0);
	((uint32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + prop))[1] = cpu_to_fdt32(0xffffff00u);
	expect_error(fdt, "structure block", "runs back");
}

static void test_isa_has(void **state)
{
	(void)state;
	assert_true(dt_isa_has("rv64imafdch_zicsr_sstc", "sstc"));
	assert_true(dt_isa_has("rv64imac_sstc_zba", "sstc"));
	assert_false(dt_isa_has("rv64imac_sstcx", "sstc"));
	assert_false(dt_isa_has("rv64imac", "sstc"));
	assert_false(dt_isa_has("rv64imacsstc", "sstc"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_128m_smp1),
		cmocka_unit_test(test_qemu_2g_smp4),
		cmocka_unit_test(test_boot_additions),
		cmocka_unit_test(test_reserved_several_entries),
		cmocka_unit_test(test_bad_uart),
		cmocka_unit_test(test_timebase_range),
		cmocka_unit_test(test_bad_memory),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_bad_cpus),
		cmocka_unit_test(test_bad_chosen),
		cmocka_unit_test(test_bad_device_keeps_finisher),
		cmocka_unit_test(test_optional_devices),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_misaligned_block),
		cmocka_unit_test(test_length_runs_back),
		cmocka_unit_test(test_isa_has),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s QEMU_128M_SMP1.dtb QEMU_2G_SMP4.dtb\n", argv[0]);
		return 2;
	}
	load(argv[1], dtb_small);
	load(argv[2], dtb_big);
	return cmocka_run_group_tests_name("dt", tests, NULL, NULL);
}
