/* SPDX-License-Identifier: MIT */
#include <arch/sbi.h>

struct sbiret sbi_call5(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a3 __asm__("a3") = a3;
	register unsigned long r_a4 __asm__("a4") = a4;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ (long)r_a0, (long)r_a1 };
}

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2)
{
	return sbi_call5(ext, fid, a0, a1, a2, 0, 0);
}

bool sbi_probe(unsigned long ext)
{
	/* BASE function 3: sbi_probe_extension; value 0 means absent. */
	struct sbiret ret = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);

	return ret.error == SBI_SUCCESS && ret.value != 0;
}

void sbi_putchar(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

long sbi_set_timer(uint64_t stime_value)
{
	return sbi_call(SBI_EXT_TIME, 0, stime_value, 0, 0).error;
}

long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start_pa, opaque).error;
}

long sbi_hart_status(unsigned long hartid)
{
	struct sbiret ret = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);

	return ret.error ? ret.error : ret.value;
}

long sbi_send_ipi(unsigned long mask, unsigned long base)
{
	return sbi_call(SBI_EXT_IPI, 0, mask, base, 0).error;
}

long sbi_remote_sfence_vma(unsigned long mask, unsigned long base, unsigned long start,
			   unsigned long size)
{
	return sbi_call5(SBI_EXT_RFENCE, 1, mask, base, start, size, 0).error;
}

long sbi_remote_fence_i(unsigned long mask, unsigned long base)
{
	return sbi_call(SBI_EXT_RFENCE, 0, mask, base, 0).error;
}

void sbi_shutdown(bool failure)
{
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
		 failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
}
