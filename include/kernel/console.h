/* Console drivers: COM1 (arch/i386/kernel/serial.c), VGA text (vga.c). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/types.h>

void serial_init(void);
void serial_write(const char *s, size_t n);
void vga_init(void);
void vga_write(const char *s, size_t n);

#endif
