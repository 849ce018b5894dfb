/* SPDX-License-Identifier: MIT */
/* The cheapest possible exec target for the benchmark: a static binary
 * with no C library that exits at once. Built with -static -nostdlib, so an
 * exec costs the kernel's work only (no dynamic loader, no libc start-up). */

#if defined(__x86_64__)
__attribute__((noreturn, used)) void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\t" /* __NR_exit */
			 "xor %edi, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
#elif defined(__aarch64__)
__attribute__((noreturn, used)) void _start(void)
{
	__asm__ volatile("mov x8, #93\n\t" /* __NR_exit */
			 "mov x0, #0\n\t"
			 "svc #0");
	__builtin_unreachable();
}
#else
#error "bench/tiny.c: add the exit syscall for this architecture"
#endif
