/*
 * COM1 console, 115200 baud 8N1, polled. See the National Semiconductor
 * PC16550D data sheet for the registers.
 */
#include <kernel/console.h>
#include <asm/io.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define  LCR_8N1	0x03
#define  LCR_DLAB	0x80
#define  LSR_THRE	0x20	/* transmitter holding register empty */
#define BAUD_BASE	115200
#define BAUD		115200

static bool serial_present;

void serial_init(void)
{
	u16 div = BAUD_BASE / BAUD;

	outb(0, COM1 + UART_IER);		/* polled: no interrupts */
	outb(LCR_DLAB, COM1 + UART_LCR);
	outb(div & 0xff, COM1 + UART_DLL);
	outb(div >> 8, COM1 + UART_DLM);
	outb(LCR_8N1, COM1 + UART_LCR);
	outb(0x07, COM1 + UART_FCR);		/* enable and clear FIFOs */
	outb(0x03, COM1 + UART_MCR);		/* DTR, RTS */
	/* No UART answers 0xff on the line status register. */
	serial_present = inb(COM1 + UART_LSR) != 0xff;
}

static void serial_putc(char c)
{
	unsigned int spins = 100000;

	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && --spins)
		;
	outb(c, COM1 + UART_THR);
}

void serial_write(const char *s, size_t n)
{
	if (!serial_present)
		return;
	while (n--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}
