/* SPDX-License-Identifier: ISC */
/* Blocking, verified TLS plumbing for the minimal reference clients. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "min-common.h"

void
min_connect(struct min_conn *c, int port, const char *ca)
{
	struct sockaddr_in	 sin;
	SSL_CTX			*ctx;
	int			 fd;

	memset(c, 0, sizeof *c);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		err(1, "connect");
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
		errx(1, "cannot load CA %s", ca);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	c->ssl = SSL_new(ctx);
	SSL_set1_host(c->ssl, "localhost");
	SSL_set_tlsext_host_name(c->ssl, "localhost");
	SSL_set_fd(c->ssl, fd);
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		errx(1, "TLS handshake failed");
	}
}

void
min_send(struct min_conn *c, const char *fmt, ...)
{
	char	 line[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line ||
	    SSL_write(c->ssl, line, n) != n)
		errx(1, "write failed");
}

static void
min_fill(struct min_conn *c)
{
	int	 n;

	if (c->off > 0) {
		memmove(c->in, c->in + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	if (c->len == sizeof c->in)
		errx(1, "line too long");
	if ((n = SSL_read(c->ssl, c->in + c->len,
	    (int)(sizeof c->in - c->len))) <= 0)
		errx(1, "connection closed");
	c->len += (size_t)n;
}

char *
min_line(struct min_conn *c, size_t *len)
{
	static char	 line[sizeof ((struct min_conn *)0)->in];
	char		*nl;

	while ((nl = memchr(c->in + c->off, '\n', c->len - c->off)) == NULL)
		min_fill(c);
	*len = (size_t)(nl - (c->in + c->off));
	memcpy(line, c->in + c->off, *len);
	c->off += *len + 1;
	if (*len > 0 && line[*len - 1] == '\r')
		(*len)--;
	line[*len] = '\0';
	return line;
}

void
min_read(struct min_conn *c, char *dst, size_t n)
{
	size_t	 k;

	while (n > 0) {
		if (c->off == c->len)
			min_fill(c);
		k = c->len - c->off < n ? c->len - c->off : n;
		if (dst != NULL) {
			memcpy(dst, c->in + c->off, k);
			dst += k;
		}
		c->off += k;
		n -= k;
	}
}
