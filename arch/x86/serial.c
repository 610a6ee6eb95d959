/* serial.c - the 16550 UART on COM1 as the console (115200 8N1).
 * Newlines go out as CR LF so a raw terminal shows lines properly. Output
 * is polled (wait for an empty transmit register, write the byte). Input
 * is polled too until the terminal starts listening (console_rx_irq_start):
 * then, with an I/O APIC, the UART raises IRQ 4 for every received byte
 * (IER's "received data available", the FIFO's trigger at 1 byte, and
 * MCR's OUT2, which on a PC gates the UART's line to the interrupt
 * controller) and the handler hands the bytes to the terminal. */
#include "apic.h"
#include "ioapic.h"
#include "machine.h"
#include "x86.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_IIR 2 /* read: interrupt identification */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define IER_RDI 0x01       /* interrupt when received data is available */
#define MCR_OUT2 0x08      /* the PC's interrupt gate */
#define COM1_IRQ 4
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* DLAB: the next two bytes are the divisor */
	outb(COM1 + UART_DATA, 1);   /* 115200 / 1 */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8 bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void uart_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + UART_DATA, (u8)c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

/* As written, no CR before LF (a terminal with OPOST or ONLCR off). */
void console_write_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_putc(s[i]);
}

int console_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

/* ---- input by interrupt ---- */

static void (*rx_sink)(const char *s, size_t n);

/* IRQ 4: take every byte the FIFO holds (the line stays up while one is
 * left, and an edge-triggered pin would not fire again) and hand them on. */
static void serial_irq(struct trap_frame *f)
{
	char buf[64];
	size_t n = 0;
	int c;

	(void)f;
	(void)inb(COM1 + UART_IIR); /* identify: acknowledges a line-status or THR cause */
	while ((c = console_getc()) >= 0) {
		buf[n++] = (char)c;
		if (n == sizeof(buf)) {
			rx_sink(buf, n);
			n = 0;
		}
	}
	if (n)
		rx_sink(buf, n);
}

bool console_rx_irq_start(void (*rx)(const char *s, size_t n))
{
	if (!ioapic_init())
		return false;
	rx_sink = rx;
	set_irq_handler(IOAPIC_ISA_VECTOR(COM1_IRQ), serial_irq);
	outb(COM1 + UART_FCR, 0x07);            /* FIFOs on and cleared, trigger at 1 byte */
	outb(COM1 + UART_MCR, 0x03 | MCR_OUT2); /* DTR, RTS, OUT2 */
	if (ioapic_route_isa_irq(COM1_IRQ, IOAPIC_ISA_VECTOR(COM1_IRQ), lapic_id())) {
		outb(COM1 + UART_MCR, 0x03);
		set_irq_handler(IOAPIC_ISA_VECTOR(COM1_IRQ), NULL);
		return false;
	}
	outb(COM1 + UART_IER, IER_RDI); /* bytes already waiting raise it at once */
	return true;
}
