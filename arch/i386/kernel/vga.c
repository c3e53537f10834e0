/* VGA text-mode mirror of the console: 80x25 at 0xB8000, scrolling. */
#include <kernel/console.h>
#include <kernel/string.h>
#include <asm/io.h>

#define VGA_BASE	((volatile u16 *)0xb8000)
#define COLS		80
#define ROWS		25
#define ATTR		0x0700		/* light grey on black */
#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5

static unsigned int row, col;

static void vga_cursor(void)
{
	u16 pos = row * COLS + col;

	outb(0x0e, CRTC_INDEX);
	outb(pos >> 8, CRTC_DATA);
	outb(0x0f, CRTC_INDEX);
	outb(pos & 0xff, CRTC_DATA);
}

static void vga_scroll(void)
{
	unsigned int i;

	for (i = 0; i < (ROWS - 1) * COLS; i++)
		VGA_BASE[i] = VGA_BASE[i + COLS];
	for (; i < ROWS * COLS; i++)
		VGA_BASE[i] = ATTR | ' ';
	row = ROWS - 1;
}

void vga_init(void)
{
	unsigned int i;

	for (i = 0; i < ROWS * COLS; i++)
		VGA_BASE[i] = ATTR | ' ';
	row = col = 0;
	vga_cursor();
}

void vga_write(const char *s, size_t n)
{
	while (n--) {
		char c = *s++;

		if (c == '\n') {
			col = 0;
			row++;
		} else {
			VGA_BASE[row * COLS + col] = ATTR | (u8)c;
			if (++col == COLS) {
				col = 0;
				row++;
			}
		}
		if (row == ROWS)
			vga_scroll();
	}
	vga_cursor();
}
