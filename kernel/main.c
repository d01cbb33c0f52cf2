/* SPDX-License-Identifier: MIT */
/*
 * The boot sequence of the boot hart: device tree, console, boot arguments,
 * memory map, paging, timer, secondary harts, devices. Prints one line per
 * finding. After boot the kernel allocates no memory.
 */
#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <arch/trap.h>
#include <faultline/errno.h>
#include <stdio.h>
#include <string.h>

#include "bkl.h"
#include "bootargs.h"
#include "init_task.h"
#include "irq.h"
#include "plic.h"
#include "sched.h"
#include "ktrace.h"
#include "console.h"
#include "dt.h"
#include "memmap.h"
#include "pmem.h"
#include "panic.h"
#include <faultline/virtio_mmio.h>

#define TIMER_TICK_US		10000	/* 10 ms */
#define SMP_TIMEOUT_US		1000000	/* secondary harts get 1 s to come up */

extern char __kernel_start[], __kernel_end[];

/* Everything the boot learns, kept for the rest of the kernel's life. */
static struct dt_info dt;
static struct boot_args args;
static struct memmap ram_map;	/* RAM from the DT */
static struct memmap free_map;	/* RAM nobody uses: handed to user space later */
static struct uart16550 uart;
static const struct dt_cpu *boot_cpu;	/* the boot hart's entry in dt.cpus */
static unsigned long hart_ids[DT_MAX_CPUS];	/* the harts to run, boot hart included */
static unsigned nharts;
static unsigned harts_mmu_cap;		/* lowest mmu-type among them, 0 if none says */
static bool harts_sstc;			/* all of them have Sstc */

/* fmt_size: @bytes in the largest binary unit, to a tenth (truncated). */
static const char *fmt_size(char buf[24], uint64_t bytes)
{
	static const char units[][4] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;
	uint64_t scale = 1, tenths;

	while (u < 5 && bytes / 1024 >= scale) {
		scale *= 1024;
		u++;
	}
	tenths = (bytes % scale) * 10 / scale;
	if (tenths)
		snprintf(buf, 24, "%lu.%lu %s", (unsigned long)(bytes / scale),
			 (unsigned long)tenths, units[u]);
	else
		snprintf(buf, 24, "%lu %s", (unsigned long)(bytes / scale), units[u]);
	return buf;
}

static void boot_log_dt(void)
{
	char sz[24];

	kprintf("dt: %s, %u bytes, bootargs \"%s\"\n", dt.model, dt.dtb_size, dt.bootargs);
	for (unsigned i = 0; i < dt.nram; i++)
		kprintf("dt: ram 0x%lx-0x%lx (%s)\n", dt.ram[i].base,
			dt.ram[i].base + dt.ram[i].size, fmt_size(sz, dt.ram[i].size));
	for (unsigned i = 0; i < dt.nreserved; i++)
		kprintf("dt: reserved 0x%lx-0x%lx %s%s\n", dt.reserved[i].reg.base,
			dt.reserved[i].reg.base + dt.reserved[i].reg.size, dt.reserved[i].name,
			dt.reserved[i].no_map ? " (no-map)" : "");
	kprintf("dt: %u cpus, timebase %u Hz; boot hart: mmu-type %s%u, isa %s\n",
		dt.ncpus_found, dt.timebase_hz, boot_cpu->mmu_bits == DT_MMU_NONE ? "none" : "sv",
		boot_cpu->mmu_bits == DT_MMU_NONE ? 0 : boot_cpu->mmu_bits, boot_cpu->isa);
	if (dt.uart.present)
		kprintf("dt: uart %s at 0x%lx (stdout-path %s)\n", dt.uart.name, dt.uart.reg.base,
			dt.stdout_path);
	else
		kprintf("dt: no ns16550 on stdout-path; console stays on SBI\n");
	if (dt.plic.present)
		kprintf("dt: plic %s at 0x%lx, %u sources\n", dt.plic.name, dt.plic.reg.base,
			dt.plic_ndev);
	if (dt.finisher.present)
		kprintf("dt: finisher %s at 0x%lx\n", dt.finisher.name, dt.finisher.reg.base);
	else
		kprintf("dt: no sifive,test0 finisher: failures will exit QEMU with status 0\n");
	kprintf("dt: %u virtio-mmio slots\n", dt.nvirtio);
	if (dt.has_initrd)
		kprintf("dt: initrd 0x%lx-0x%lx (%s)\n", dt.initrd_start, dt.initrd_end,
			fmt_size(sz, dt.initrd_end - dt.initrd_start));
	else
		kprintf("dt: no initrd\n");
}

/*
 * boot_select_harts: the harts to run are the boot hart and every other "okay"
 * cpu with an MMU. Paging mode and timer are chosen for all of them: the lowest
 * mmu-type any of them has, and Sstc only if every one has it.
 */
static void boot_select_harts(void)
{
	harts_sstc = true;
	for (unsigned i = 0; i < dt.ncpus; i++) {
		const struct dt_cpu *cpu = &dt.cpus[i];

		if (cpu != boot_cpu && !cpu->okay)
			continue;
		if (cpu->mmu_bits == DT_MMU_NONE) {
			if (cpu == boot_cpu)
				boot_fail("mmu: the DT says the boot hart has no MMU (riscv,none)");
			kprintf("harts: hart %lu has no MMU (riscv,none); not started\n",
				(unsigned long)cpu->hartid);
			continue;
		}
		if (cpu->mmu_bits && (!harts_mmu_cap || cpu->mmu_bits < harts_mmu_cap))
			harts_mmu_cap = cpu->mmu_bits;
		harts_sstc = harts_sstc && cpu->sstc;
		hart_ids[nharts++] = cpu->hartid;
	}
	if (dt.ncpus_found > DT_MAX_CPUS)
		kprintf("harts: %u in the DT; this build runs at most %u\n", dt.ncpus_found,
			DT_MAX_CPUS);
}

/* boot_device_ok: true if @dev's registers lie inside the direct map. */
static bool boot_device_ok(const struct dt_device *dev)
{
	return dev->present && dev->reg.base < DMAP_SIZE &&
	       dev->reg.size <= DMAP_SIZE - dev->reg.base;
}

/* boot_reserve: take [@base, @base + @size) out of free RAM, rounded out to pages. */
static void boot_reserve(uint64_t base, uint64_t size, const char *what)
{
	uint64_t start = base & ~(PAGE_SIZE - 1);
	uint64_t end = (base + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	char sz[24];

	if (memmap_remove(&free_map, start, end))
		boot_fail("mem: too many holes in RAM to reserve %s", what);
	kprintf("mem: reserved 0x%lx-0x%lx %s (%s)\n", start, end, what,
		fmt_size(sz, end - start));
}

/* boot_memory: RAM minus firmware, kernel image, DTB and initrd. */
static void boot_memory(paddr_t dtb_pa)
{
	memmap_init(&ram_map);
	for (unsigned i = 0; i < dt.nram; i++) {
		uint64_t base = dt.ram[i].base, end = base + dt.ram[i].size;

		if (end > DMAP_SIZE) {
			kprintf("mem: RAM above 0x%lx is beyond the direct map; ignored\n",
				(unsigned long)DMAP_SIZE);
			end = DMAP_SIZE;
		}
		if (base < end && memmap_add(&ram_map, base, end))
			boot_fail("mem: too many RAM ranges");
	}
	memmap_align(&ram_map, PAGE_SIZE);
	free_map = ram_map;
	for (unsigned i = 0; i < dt.nreserved; i++)
		if (dt.reserved[i].reg.size)
			boot_reserve(dt.reserved[i].reg.base, dt.reserved[i].reg.size,
				     dt.reserved[i].name);
	boot_reserve(image_virt_to_phys(__kernel_start),
		     (uint64_t)(__kernel_end - __kernel_start), "kernel image");
	boot_reserve(dtb_pa, dt.dtb_size, "dtb");
	if (dt.has_initrd) {
		if (!memmap_contains(&ram_map, dt.initrd_start, dt.initrd_end))
			boot_fail("mem: the initrd 0x%lx-0x%lx is not inside RAM",
				  (unsigned long)dt.initrd_start, (unsigned long)dt.initrd_end);
		boot_reserve(dt.initrd_start, dt.initrd_end - dt.initrd_start, "initrd");
	}
	if (!memmap_contains(&ram_map, image_virt_to_phys(__kernel_start),
			     image_virt_to_phys(__kernel_end)))
		boot_fail("mem: the kernel image is not inside RAM listed in the DT");
}

/* boot_table_alloc: one zeroed page for a kernel page table, from free RAM. */
static paddr_t boot_table_alloc(void *ctx)
{
	unsigned long *count = ctx;
	paddr_t pa = memmap_alloc(&free_map, PAGE_SIZE, PAGE_SIZE);

	if (pa) {
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		(*count)++;
	}
	return pa;
}

/* boot_device_add: add @dev's registers, rounded out to pages, to @devs. */
static void boot_device_add(struct memmap *devs, const struct dt_device *dev)
{
	uint64_t base = dev->reg.base & ~(PAGE_SIZE - 1);
	uint64_t end = (dev->reg.base + dev->reg.size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	if (!boot_device_ok(dev))
		boot_fail("dt: %s: registers at 0x%lx lie beyond the direct map", dev->name,
			  (unsigned long)dev->reg.base);
	if (memmap_add(devs, base, end))
		boot_fail("mmu: too many device register ranges to map");
}

/* boot_device_map: the device register ranges the kernel maps (whole pages;
 * devices sharing a page share its mapping). */
static void boot_device_map(struct memmap *devs)
{
	const struct dt_device *fixed[] = { &dt.uart, &dt.plic, &dt.finisher, &dt.rtc };

	memmap_init(devs);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i]->present)
			boot_device_add(devs, fixed[i]);
	for (unsigned i = 0; i < dt.nvirtio; i++)
		boot_device_add(devs, &dt.virtio[i]);
}

/* boot_try_mode: build tables for @mode and switch; false (and nothing kept) if
 * satp does not take the mode. */
static bool boot_try_mode(const struct pt_mode *mode, const struct memmap *dmap,
			  const struct memmap *devs, struct mmu_report *rep)
{
	struct memmap saved = free_map;
	unsigned long tables = 0;
	struct pt_alloc alloc = { boot_table_alloc, &tables };
	paddr_t root;
	int err = mmu_build(mode, dmap, devs, &alloc, &root, rep);

	if (err)
		boot_fail("mmu: building the %s kernel page table failed (%s)", mode->name,
			  err_name(err));
	rep->tables = tables;
	if (mmu_switch(mode, root))
		return true;
	free_map = saved;
	return false;
}

/* boot_paging: the mode from sv= (auto: the highest the DT allows that sticks). */
static void boot_paging(void)
{
	unsigned cap = harts_mmu_cap, bits, asid_bits;
	struct memmap dmap = ram_map, devs;
	struct mmu_report rep;
	const struct pt_mode *mode = NULL;
	char sz[24];

	for (unsigned i = 0; i < dt.nreserved; i++)
		if (dt.reserved[i].no_map)
			memmap_remove(&dmap, dt.reserved[i].reg.base,
				      dt.reserved[i].reg.base + dt.reserved[i].reg.size);
	memmap_align(&dmap, PAGE_SIZE);
	boot_device_map(&devs);
	mmu_boot_init();
	if (args.sv) {
		mode = pt_mode_by_bits(args.sv);
		if (!boot_try_mode(mode, &dmap, &devs, &rep))
			boot_fail("mmu: sv=%u requested but satp does not accept %s (mode %u)",
				  args.sv, mode->name, mode->satp_mode);
	} else {
		for (bits = cap ? cap : 57; bits >= 39; bits -= 9) {
			mode = pt_mode_by_bits(bits);
			if (mode && boot_try_mode(mode, &dmap, &devs, &rep))
				break;
			mode = NULL;
		}
		if (!mode)
			boot_fail("mmu: no paging mode up to sv%u sticks in satp", cap ? cap : 57);
	}
	mode = pt_mode_by_satp(csr_read(CSR_SATP) >> SATP_MODE_SHIFT);
	asid_bits = mmu_asid_bits();
	if (asid_bits > args.asid_bits)
		asid_bits = args.asid_bits;
	mmu_asid_init(asid_bits);
	kprintf("mmu: %s (satp.MODE %u, %s), %u ASID bits (using %u), user VA 0-0x%lx (%s)\n",
		mode->name, mode->satp_mode, args.sv ? "sv= boot argument" : "auto",
		mmu_asid_bits(), asid_bits, (1ul << (mode->va_bits - 1)) - 1,
		fmt_size(sz, 1ul << (mode->va_bits - 1)));
	kprintf("mmu: direct map at 0x%lx: %lu x 1G, %lu x 2M, %lu x 4K; %lu table pages\n",
		(unsigned long)DMAP_BASE, rep.dmap.pages[2], rep.dmap.pages[1], rep.dmap.pages[0],
		rep.tables);
}

static void boot_log_memory(void)
{
	char sz[24], sz2[24];

	for (unsigned i = 0; i < free_map.n; i++)
		kprintf("mem: free 0x%lx-0x%lx (%s)\n", free_map.r[i].base, free_map.r[i].end,
			fmt_size(sz, free_map.r[i].end - free_map.r[i].base));
	kprintf("mem: %s RAM, %s free\n", fmt_size(sz, memmap_total(&ram_map)),
		fmt_size(sz2, memmap_total(&free_map)));
}

static void boot_timer(void)
{
	bool sstc = harts_sstc;

	if (args.timer == BOOT_TIMER_SSTC && !sstc)
		boot_fail("timer: timer=sstc requested but not every hart's ISA string has Sstc");
	timer_init(dt.timebase_hz, TIMER_TICK_US, args.timer == BOOT_TIMER_SBI ? false : sstc);
	timer_start();
	irq_enable();
	while (this_hart->ticks == 0)
		wfi();
	irq_disable();
	this_hart->online = true;
	kprintf("timer: %s, %u Hz timebase, %u ms tick, first tick taken\n", timer_source(),
		dt.timebase_hz, TIMER_TICK_US / 1000);
}

static void boot_harts(void)
{
	unsigned online = smp_boot(hart_ids, nharts, timer_us_to_ticks(SMP_TIMEOUT_US),
				   args.test == BOOT_TEST_SMP_BOOT_ENTRY);

	kprintf("harts: %u/%u online (boot hart %lu; hart ids", online, nharts,
		this_hart->hartid);
	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++)
		if (harts[cpu].online)
			kprintf(" %lu", harts[cpu].hartid);
	kprintf(")\n");
}

static void boot_virtio(void)
{
	unsigned devices = 0;

	for (unsigned i = 0; i < dt.nvirtio; i++) {
		struct virtio_mmio_id id;
		int err = virtio_mmio_probe(phys_to_virt(dt.virtio[i].reg.base), &id);

		if (err == -ERR_NOENT)
			continue;
		if (err) {
			kprintf("virtio: 0x%lx: not a virtio-mmio device (bad magic or version)\n",
				dt.virtio[i].reg.base);
			continue;
		}
		kprintf("virtio: 0x%lx: %s device (id %u), version %u, irq %u\n",
			dt.virtio[i].reg.base, virtio_device_name(id.device_id), id.device_id,
			id.version, dt.virtio[i].irq);
		devices++;
	}
	kprintf("virtio: %u device%s in %u slots\n", devices, devices == 1 ? "" : "s", dt.nvirtio);
}

/* boot_irqs: route device interrupts to the boot hart through the PLIC. */
static void boot_irqs(void)
{
	if (!dt.plic.present || boot_cpu->plic_s_context < 0) {
		kprintf("irq: no PLIC context for the boot hart; interrupts stay off\n");
		return;
	}
	plic_init(phys_to_virt(dt.plic.reg.base), dt.plic_ndev);
	irq_init((unsigned)boot_cpu->plic_s_context);
	irq_external_enable();
	kprintf("irq: PLIC context %d for the boot hart, %u sources\n", boot_cpu->plic_s_context,
		dt.plic_ndev);
}

/* recurse: use @depth frames of 512 bytes of stack, without end when
 * @depth is huge (test=kernel-stack-overflow). */
static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
	volatile unsigned char frame[512];

	frame[0] = (unsigned char)depth;
	return depth ? recurse(depth - 1) + frame[0] : 0;
}

/* boot_selftest: the test= hooks the QEMU test suite uses. */
static void boot_selftest(void)
{
	static volatile uintptr_t unmapped = 0x1000;	/* user half: never mapped */

	if (args.test == BOOT_TEST_KERNEL_FAULT) {
		kprintf("test: kernel-fault: loading from unmapped 0x%lx\n",
			(unsigned long)unmapped);
		(void)*(volatile unsigned long *)unmapped;
		panic("test: kernel-fault: the load did not fault");
	}
	if (args.test == BOOT_TEST_KERNEL_STACK_OVERFLOW) {
		kprintf("test: kernel-stack-overflow: recursing without end\n");
		recurse(~0ul);
		panic("test: kernel-stack-overflow: the recursion ended");
	}
}

/* boot_trace: tracing from boot if trace= asks for it. */
static void boot_trace(void)
{
	unsigned online = 0;
	char mask[32];

	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++)
		online += harts[cpu].online;
	if (trace_boot(args.trace, args.trace_out, args.trace_file, dt.timebase_hz, online,
		       mmu_mode()->va_bits))
		boot_fail("trace: trace_out=semihost, but QEMU has no semihosting or refused to "
			  "create %s (-semihosting-config enable=on,target=native)", args.trace_file);
	trace_mask_format(args.trace, mask, sizeof(mask));
	if (args.trace)
		kprintf("trace: recording %s from boot\n", mask);
}

/* boot_init_task: the root task from the boot archive (QEMU -initrd), given
 * everything left: after this the kernel allocates nothing. */
static void boot_init_task(unsigned long instret0)
{
	unsigned long pages = 0;
	struct pt_alloc alloc = { boot_table_alloc, &pages };
	const struct dt_device *devices[DT_MAX_VIRTIO + 1];
	struct init_resources res = { &free_map, devices,   0,	      this_hart->hartid, 0,
				      args.pager, args.run,
				      args.test == BOOT_TEST_KILL_PAGER ? BOOTINFO_TEST_KILL_PAGER
				      : args.test == BOOT_TEST_KILL_BLK ? BOOTINFO_TEST_KILL_BLK
				      : args.test == BOOT_TEST_KILL_BLK_FOR_GOOD
					      ? BOOTINFO_TEST_KILL_BLK_FOR_GOOD
					      : BOOTINFO_TEST_NONE,
				      args.frames,    0,	      0, instret0 };
	const char *why;
	char sz[24];
	uint64_t before;
	int err;

	if (!dt.has_initrd)
		boot_fail("init: no boot archive (QEMU -initrd build/servers/boot.cpio)");
	if (dt.initrd_start & (PAGE_SIZE - 1))
		boot_fail("init: the boot archive at 0x%lx is not page aligned",
			  (unsigned long)dt.initrd_start);
	res.archive = dt.initrd_start;
	res.archive_size = dt.initrd_end - dt.initrd_start;
	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++)
		res.nharts += harts[cpu].online;
	for (unsigned i = 0; i < dt.nvirtio; i++)
		devices[res.ndevices++] = &dt.virtio[i];
	if (dt.rtc.present && boot_device_ok(&dt.rtc))
		devices[res.ndevices++] = &dt.rtc;
	if (frames_init(&ram_map, &free_map))
		boot_fail("mem: no room for the frame table");
	before = memmap_total(&free_map);
	err = init_task_create(phys_to_virt(dt.initrd_start), dt.initrd_end - dt.initrd_start,
			       args.init, &alloc, &res, &why);
	if (err)
		boot_fail("init: %s: %s (%s)", args.init, why, err_name(err));
	kprintf("root task: %lu pages taken at boot; %s of free RAM handed over as pmem\n",
		pages, fmt_size(sz, before - pages * PAGE_SIZE));
}

/* boot_main: C entry of the boot hart (entry.S), on the boot page table. */
void boot_main(unsigned long hartid, paddr_t dtb_pa, unsigned long time0,
	       unsigned long instret0)
{
	struct dt_error err;
	char why[160];
	int ret;
	void *fdt = phys_to_virt(dtb_pa);

	hart_local_init(0, hartid);
	trap_init();
	/* Until the UART is found the console is SBI putchar, which costs
	 * thousands of instructions a character: print nothing before it
	 * unless the boot fails. */
	if (dtb_pa == 0 || dtb_pa >= DMAP_SIZE)
		boot_fail("dt: device tree address 0x%lx is outside RAM", dtb_pa);
	ret = dt_parse(fdt, &dt, &err);
	if (boot_device_ok(&dt.finisher))
		poweroff_set_finisher(phys_to_virt(dt.finisher.reg.base));
	if (ret)
		boot_fail("dt: %s: %s", err.node, err.what);
	if (dt.uart.present && !boot_device_ok(&dt.uart))
		boot_fail("dt: %s: registers beyond the direct map", dt.uart.name);
	if (dt.uart.present) {
		uart16550_init(&uart, phys_to_virt(dt.uart.reg.base), dt.uart_reg_shift,
			       dt.uart_reg_io_width, dt.uart_clock_hz);
		console_use_uart(&uart);
	}
	kprintf("\nFaultline: boot hart %lu, device tree at 0x%lx\n", hartid, dtb_pa);
	ret = dt_cpu_index(&dt, hartid);
	if (ret < 0)
		boot_fail("dt: the boot hart %lu is not among the DT's cpus", hartid);
	boot_cpu = &dt.cpus[ret];
	boot_log_dt();
	boot_select_harts();
	if (bootargs_parse(dt.bootargs, &args, why, sizeof(why)))
		boot_fail("bootargs: %s", why);
	boot_memory(dtb_pa);
	boot_paging();
	boot_log_memory();
	boot_timer();
	boot_harts();
	boot_virtio();
	boot_irqs();
	boot_trace();
	boot_selftest();
	boot_init_task(instret0);
	kprintf("boot: done in %lu us of emulated time, %lu instructions on the boot hart\n",
		(unsigned long)((rdtime() - time0) * 1000000 / dt.timebase_hz),
		rdinstret() - instret0);
	hart_release();
	bkl_lock();
	sched_start();
}
