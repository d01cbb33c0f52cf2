/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry for the boot hart (from OpenSBI) and for secondary harts (from
 * SBI HSM hart_start). Both arrive with the MMU off at the physical load
 * address. They turn on paging with a boot page table (Sv39, which every
 * RISC-V MMU with Sv48/Sv57 also has: privileged spec 4.5, 4.6) that maps the
 * kernel image twice, at its physical address and at its link address, and the
 * direct map; then jump to the link address and into C. C code builds the real
 * tables in the mode chosen at boot and switches to them.
 */
#include <arch/csr.h>
#include <arch/layout.h>
#include <arch/sbi.h>

/* Gigapage leaf flags (V R W [X] A D G, spec figure 4.21) */
#define EARLY_PTE_RWX	0xef
#define EARLY_PTE_RW	0xe7

/*
 * enable_boot_paging: satp = Sv39 with the boot table. Until C installs the
 * real vector, traps go to no_paging (at its physical address, which the boot
 * table maps too). A hart without Sv39 ignores the satp write (privileged spec
 * 4.1.11): read it back and stop cleanly rather than fault on the jump to the
 * link address. Clobbers t0, t1.
 */
.macro enable_boot_paging
	la	t0, no_paging
	csrw	CSR_STVEC, t0
	la	t0, boot_page_table
	srli	t0, t0, 12
	li	t1, SATP_MODE_SV39 << SATP_MODE_SHIFT
	or	t0, t0, t1
	sfence.vma
	csrw	CSR_SATP, t0
	csrr	t1, CSR_SATP
	bne	t0, t1, no_paging
	sfence.vma
.endm

	.section .text.entry, "ax"
	.globl _start
_start:
	/* a0 = hartid, a1 = DTB physical address (OpenSBI fw_dynamic) */
	csrr	s3, CSR_INSTRET		/* first: boot_to_init counts from here */
	csrw	CSR_SIE, zero
	/*
	 * One hart boots. Seen under heavy host load (QEMU 7.2, OpenSBI 1.1,
	 * -smp 4): a hart that hart_start had sent to _secondary_start came
	 * here instead, as a second boot hart, and zeroed .bss under the
	 * running kernel. Such a hart goes to boot_again instead.
	 */
	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, boot_again
	mv	s0, a0
	mv	s1, a1
	csrr	s2, CSR_TIME

	/* Zero .bss (which holds the boot page table). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	call	boot_page_table_fill
	enable_boot_paging
	ld	t0, .Lboot_high_addr
	jr	t0
.Lboot_high:
	/* cpu 0: the first stack and TLS block */
	la	sp, hart_stacks + HART_STACK_STRIDE
	la	tp, hart_tls
	mv	a0, s0
	li	s0, 0		/* s0 is the frame pointer: end backtraces here */
	mv	a1, s1
	mv	a2, s2
	mv	a3, s3
	call	boot_main
	unimp

	.globl _secondary_start
_secondary_start:
	/* a0 = hartid, a1 = opaque = logical cpu index (set by smp_boot) */
	csrw	CSR_SIE, zero
	mv	s0, a0
	mv	s1, a1
	enable_boot_paging
	ld	t0, .Lsecondary_high_addr
	jr	t0
.Lsecondary_high:
	/* sp = hart_stacks + (cpu + 1) * HART_STACK_STRIDE, tp = hart_tls[cpu] */
	la	sp, hart_stacks
	addi	t0, s1, 1
	li	t1, HART_STACK_STRIDE
	mul	t0, t0, t1
	add	sp, sp, t0
	la	tp, hart_tls
	li	t1, HART_TLS_SIZE
	mul	t0, s1, t1
	add	tp, tp, t0
	mv	a0, s0
	mv	a1, s1
	li	s0, 0		/* s0 is the frame pointer: end backtraces here */
	call	secondary_main
	unimp

/*
 * boot_page_table_fill: fill the Sv39 boot table with 1 GiB leaves (runs with
 * the MMU off; uses t0-t6 only). A gigapage PTE for GiB number g is
 * (g << 28) | flags: PPN = g << 18, shifted left by 10 (spec figure 4.21).
 *   - the GiB holding the kernel, identity mapped (for the instructions right
 *     after the satp write) and at pa + KERNEL_VIRT_OFFSET;
 *   - the direct map: DMAP_BASE + g GiB -> g GiB for g < DMAP_GIB (Sv39 root
 *     entries 256..509).
 */
boot_page_table_fill:
	la	t0, boot_page_table
	la	t1, _start
	srli	t2, t1, 30
	slli	t3, t2, 28
	ori	t3, t3, EARLY_PTE_RWX
	andi	t4, t2, 511
	slli	t4, t4, 3
	add	t4, t0, t4
	sd	t3, 0(t4)
	li	t5, KERNEL_VIRT_OFFSET
	add	t4, t1, t5
	srli	t4, t4, 30
	andi	t4, t4, 511
	slli	t4, t4, 3
	add	t4, t0, t4
	sd	t3, 0(t4)
	li	t4, (DMAP_BASE >> 30) & 511
	slli	t4, t4, 3
	add	t4, t0, t4
	li	t5, 0
	li	t6, DMAP_GIB
3:	slli	t3, t5, 28
	ori	t3, t3, EARLY_PTE_RW
	sd	t3, 0(t4)
	addi	t4, t4, 8
	addi	t5, t5, 1
	bltu	t5, t6, 3b
	ret

/*
 * no_paging: this hart cannot run the kernel (no Sv39) or trapped before the
 * kernel's vector was installed. Say so on the SBI console and stop the
 * machine (SBI SRST shutdown, reason "system failure"). Runs at its physical
 * address, MMU on or off.
 */
	.balign 4
no_paging:
	la	s2, .Lno_paging_msg
	jal	s3, sbi_puts
	li	a7, SBI_EXT_SRST
	li	a6, 0
	li	a0, SBI_SRST_SHUTDOWN
	li	a1, SBI_SRST_REASON_FAILURE
	ecall
3:	wfi
	j	3b

/*
 * boot_again: a hart at the boot entry after another claimed the boot (MMU
 * off). If smp_boot is starting it (harts[cpu].present with its hart id), it
 * goes on as that secondary, with a1 = its cpu as hart_start would have given
 * it; otherwise it says so and waits forever, interrupts off (never online).
 */
boot_again:
	lla	t0, harts
	li	t1, 1
	li	t2, MAX_HARTS
1:	addi	t0, t0, HART_SIZE
	lbu	t3, HART_PRESENT(t0)
	ld	t4, HART_HARTID(t0)
	beqz	t3, 2f
	bne	t4, a0, 2f
	mv	a1, t1
	j	_secondary_start
2:	addi	t1, t1, 1
	bltu	t1, t2, 1b
	la	s2, .Lboot_again_msg
	jal	s3, sbi_puts
3:	wfi
	j	3b

/* sbi_puts: print the string at s2 on the SBI console (legacy putchar, a
 * character at a time); returns through s3. MMU on or off. */
sbi_puts:
1:	lbu	a0, 0(s2)
	beqz	a0, 2f
	li	a7, SBI_EXT_LEGACY_PUTCHAR
	ecall
	addi	s2, s2, 1
	j	1b
2:	jr	s3

	.balign 8
.Lboot_high_addr:
	.dword	.Lboot_high
.Lsecondary_high_addr:
	.dword	.Lsecondary_high

.Lno_paging_msg:
	.asciz	"Faultline: this hart cannot turn on Sv39 paging, or trapped before the kernel's trap vector; stopping\n"
.Lboot_again_msg:
	.asciz	"Faultline: a hart came to the boot entry after the boot began, unasked; parking it\n"


	.section .data.boot, "aw"
	.balign 4
boot_claimed:		/* not in .bss: the boot hart zeroes that */
	.word	0

	.section .bss.boot_page_table, "aw", @nobits
	.balign 4096
	.globl boot_page_table
boot_page_table:
	.skip	4096
