/*
 * Power off and panic. Under QEMU with
 * "-device isa-debug-exit,iobase=0xf4,iosize=0x04" a write of N to port
 * 0xf4 ends QEMU with exit status N * 2 + 1; without that device the
 * write does nothing and the CPU halts with a message.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <asm/io.h>
#include <asm/processor.h>

bool poweroff_requested;

__setup_flag("poweroff", poweroff_requested);

void __noreturn machine_power_off(int status)
{
	printk(KERN_INFO "power: off, status %d\n", status);
	outl(status, DEBUG_EXIT_PORT);
	printk(KERN_NOTICE "power: no isa-debug-exit device at 0x%x; "
	       "halting\n", DEBUG_EXIT_PORT);
	halt_forever();
}

void __noreturn panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", buf);
	if (poweroff_requested)
		machine_power_off(POWER_OFF_FAIL);
	cpu_dead();
}
