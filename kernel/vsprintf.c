/* vsprintf.c - the kernel's printf formatting. Freestanding, and built hosted
 * too (as hl_vsnprintf) so the format rules are unit-tested on the host.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %pS (a code address as symbol+off/size)
 * %% with flags '-', '0', '+', ' ', '#',
 * a width and precision (also '*'), and length modifiers hh h l ll z t j.
 * 64-bit values are divided by a 32-bit base with 32-bit operations only, so
 * the kernel needs no __udivdi3 from libgcc. */
#include <stdarg.h>
#include "kstring.h"
#include "ksyms.h"
#include "printk.h"

struct out {
	char *buf;
	size_t size, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

/* Divide *n by base (<= 16), return the remainder: long division by halves. */
static unsigned div_u64_small(u64 *n, unsigned base)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n;
	u32 qhi = hi / base, r = hi % base;
	u64 rest = ((u64)r << 32) | lo;
	/* rest < base << 32, so split it once more into two 16-bit steps */
	u32 mid = (u32)(rest >> 16);
	u32 qmid = mid / base;
	r = mid % base;
	u32 low = (r << 16) | (lo & 0xffff);
	u32 qlow = low / base;
	*n = ((u64)qhi << 32) | ((u64)qmid << 16) | qlow;
	return low % base;
}

struct spec {
	int left, zero, plus, space, alt, upper;
	int width, prec;
};

static void emit_number(struct out *o, u64 v, bool neg, unsigned base, struct spec *s)
{
	char tmp[24];
	int n = 0;
	const char *digits = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do
		tmp[n++] = digits[div_u64_small(&v, base)];
	while (v);
	if (s->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	char sign = neg ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	const char *prefix = (s->alt && base == 16) ? (s->upper ? "0X" : "0x") :
			     (s->alt && base == 8) ? "0" : "";
	int plen = (int)strlen(prefix);
	int zeros = s->prec > n ? s->prec - n : 0;
	int len = n + zeros + plen + (sign ? 1 : 0);
	int pad = s->width > len ? s->width - len : 0;

	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	while (!s->left && pad-- > 0)
		put(o, ' ');
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	while (zeros-- > 0)
		put(o, '0');
	while (n > 0)
		put(o, tmp[--n]);
	while (s->left && pad-- > 0)
		put(o, ' ');
}

static void emit_string(struct out *o, const char *str, struct spec *s)
{
	if (!str)
		str = "(null)";
	int n = 0;
	while (str[n] && (s->prec < 0 || n < s->prec))
		n++;
	int pad = s->width > n ? s->width - n : 0;
	while (!s->left && pad-- > 0)
		put(o, ' ');
	for (int i = 0; i < n; i++)
		put(o, str[i]);
	while (s->left && pad-- > 0)
		put(o, ' ');
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	*s = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') s->left = 1;
		else if (*f == '0') s->zero = 1;
		else if (*f == '+') s->plus = 1;
		else if (*f == ' ') s->space = 1;
		else if (*f == '#') s->alt = 1;
		else break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = 1;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	return f;
}

/* Fetch an integer argument of the size given by the length modifier. */
static u64 fetch_int(const char **fp, va_list *ap, bool is_signed, bool *neg)
{
	const char *f = *fp;
	int len = 0; /* 0 int, 1 long, 2 long long, 3 size_t, -1 short, -2 char */
	s64 sv = 0;
	u64 uv = 0;

	if (f[0] == 'h' && f[1] == 'h') { len = -2; f += 2; }
	else if (f[0] == 'h') { len = -1; f++; }
	else if (f[0] == 'l' && f[1] == 'l') { len = 2; f += 2; }
	else if (f[0] == 'l') { len = 1; f++; }
	else if (f[0] == 'z' || f[0] == 't') { len = 3; f++; }
	else if (f[0] == 'j') { len = 2; f++; }
	*fp = f;

	if (is_signed) {
		switch (len) {
		case 2: sv = va_arg(*ap, long long); break;
		case 1: sv = va_arg(*ap, long); break;
		case 3: sv = va_arg(*ap, ptrdiff_t); break;
		case -1: sv = (short)va_arg(*ap, int); break;
		case -2: sv = (signed char)va_arg(*ap, int); break;
		default: sv = va_arg(*ap, int); break;
		}
		*neg = sv < 0;
		return *neg ? (u64)0 - (u64)sv : (u64)sv;
	}
	switch (len) {
	case 2: uv = va_arg(*ap, unsigned long long); break;
	case 1: uv = va_arg(*ap, unsigned long); break;
	case 3: uv = va_arg(*ap, size_t); break;
	case -1: uv = (unsigned short)va_arg(*ap, unsigned); break;
	case -2: uv = (unsigned char)va_arg(*ap, unsigned); break;
	default: uv = va_arg(*ap, unsigned); break;
	}
	*neg = false;
	return uv;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec s;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s, &ap);
		const char *conv = f;
		while (*conv == 'h' || *conv == 'l' || *conv == 'z' || *conv == 't' || *conv == 'j')
			conv++;
		bool neg;
		u64 v;
		switch (*conv) {
		case 'd': case 'i':
			v = fetch_int(&f, &ap, true, &neg);
			emit_number(&o, v, neg, 10, &s);
			break;
		case 'u': case 'x': case 'X': case 'o':
			s.upper = *conv == 'X';
			v = fetch_int(&f, &ap, false, &neg);
			emit_number(&o, v, false, *conv == 'u' ? 10 : *conv == 'o' ? 8 : 16, &s);
			break;
		case 'p':
			if (conv[1] == 'S') { /* %pS: symbol+offset/size, as Linux prints callers */
				char sym[96];
				ksym_format((u32)(uintptr_t)va_arg(ap, void *), sym, sizeof(sym));
				emit_string(&o, sym, &s);
				conv++;
				break;
			}
			s.alt = 1;
			if (s.width == 0) {
				s.width = 2 + 2 * (int)sizeof(void *);
				s.zero = 1;
			}
			emit_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, &s);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's':
			emit_string(&o, va_arg(ap, const char *), &s);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			conv--; /* a lone '%' at the end: print nothing more */
			break;
		default: /* unknown conversion: show it verbatim so the bug is visible */
			put(&o, '%');
			put(&o, *conv);
			break;
		}
		f = conv;
	}
	va_end(ap);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
