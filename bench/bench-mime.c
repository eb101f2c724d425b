/* SPDX-License-Identifier: ISC */
/*
 * bench-mime: header parsing (MB/s of header bytes) and full MIME decode
 * (part tree, transfer decoding of every part, charset conversion of the
 * text part) over a generated, deterministic set of typical messages:
 * plain text, multipart/alternative with quoted-printable, and
 * multipart/mixed with a base64 attachment.  Then the same with
 * rendering for the pager added.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg/charset.h"
#include "msg/mime.h"
#include "msg/render.h"
#include "msg/rfc5322.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include "bench-msg.h"

#define BENCH_MSGS	6000
#define BENCH_ROUNDS	5

static const char *const bench_words[] = { "the", "message", "server",
    "quoted", "reply", "tomorrow", "build", "caf\xc3\xa9", "report",
    "meeting", "please", "attached", "review", "numbers", "and", "of" };

static void
bench_words_add(struct buf *b, size_t nbytes, bool qp)
{
	size_t	 col = 0, start = b->len;
	const char *w;

	while (b->len - start < nbytes) {
		w = bench_words[bench_rand() % 16];
		if (qp && strchr(w, '\xc3') != NULL)
			w = "caf=C3=A9";
		buf_add_str(b, w);
		col += strlen(w) + 1;
		if (col > 66) {
			buf_add_str(b, "\r\n");
			col = 0;
		} else
			buf_add_byte(b, ' ');
	}
	buf_add_str(b, "\r\n");
}

static void
bench_headers(struct buf *b, size_t i)
{
	int	 k;

	for (k = 0; k < 4; k++)
		buf_printf(b, "Received: from mx%d.example.net (mx%d.example.net"
		    " [192.0.2.%d])\r\n\tby mail.example.org (Postfix) with "
		    "ESMTPS id %08lx\r\n\tfor <user@example.org>; Mon, 3 Jun "
		    "2024 10:%02d:00 +0200\r\n", k, k, k,
		    (unsigned long)bench_rand(), k);
	buf_printf(b, "From: =?utf-8?q?J=C3=B6rg_Example?= <joerg%zu@example.net>\r\n"
	    "To: User <user@example.org>, other@example.org\r\n"
	    "Subject: =?iso-8859-1?q?R=E9union?= number %zu about the build\r\n"
	    "Date: Mon, 3 Jun 2024 10:%02zu:00 +0200\r\n"
	    "Message-ID: <%zu.%lx@example.net>\r\n"
	    "References: <%zu.parent@example.net>\r\n"
	    "MIME-Version: 1.0\r\n", i, i, i % 60, i,
	    (unsigned long)bench_rand(), i / 2);
}

static void
bench_message(struct buf *b, size_t i)
{
	size_t	 k;

	bench_headers(b, i);
	switch (i % 3) {
	case 0:
		buf_add_str(b, "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n");
		bench_words_add(b, 2000, false);
		break;
	case 1:
		buf_add_str(b, "Content-Type: multipart/alternative; "
		    "boundary=\"=_alt\"\r\n\r\n--=_alt\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		bench_words_add(b, 1500, true);
		buf_add_str(b, "--=_alt\r\nContent-Type: text/html; "
		    "charset=utf-8\r\nContent-Transfer-Encoding: "
		    "quoted-printable\r\n\r\n<html><body><p>");
		bench_words_add(b, 2500, true);
		buf_add_str(b, "</p></body></html>\r\n--=_alt--\r\n");
		break;
	default:
		buf_add_str(b, "Content-Type: multipart/mixed; "
		    "boundary=\"=_mix\"\r\n\r\n--=_mix\r\n"
		    "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n");
		bench_words_add(b, 800, false);
		buf_add_str(b, "--=_mix\r\nContent-Type: application/pdf; "
		    "name=\"report.pdf\"\r\nContent-Disposition: attachment; "
		    "filename=\"report.pdf\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		for (k = 0; k < 200; k++)
			buf_add_str(b, "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5n"
			    "dGggNiAwIFIvRmlsdGVyIC9GbGF0ZUR\r\n");
		buf_add_str(b, "--=_mix--\r\n");
		break;
	}
}

void
bench_mime(void)
{
	struct buf		 all = BUF_INIT, t = BUF_INIT;
	struct rfc5322_hdr	 h;
	struct mime_msg		 m;
	struct render_doc	 d;
	struct render_opts	 o;
	struct err		 e;
	size_t			*off, i, r, hdrbytes = 0, n = BENCH_MSGS;
	double			 c0, c1;
	uint32_t		 tp;

	off = xcalloc(n + 1, sizeof *off);
	for (i = 0; i < n; i++) {
		off[i] = all.len;
		bench_message(&all, i);
	}
	off[n] = all.len;

	c0 = bench_cpu();
	for (r = 0; r < BENCH_ROUNDS; r++)
		for (i = 0; i < n; i++) {
			rfc5322_hdr_parse(&h, all.data + off[i],
			    off[i + 1] - off[i], NULL, &e);
			if (r == 0)
				hdrbytes += h.rawlen;
			if (rfc5322_hdr_get(&h, "Subject", NULL) == NULL)
				abort();
			rfc5322_hdr_fini(&h);
		}
	c1 = bench_cpu();
	printf("headers: %zu messages x %d, %.1f MB of headers in %.3f s CPU:"
	    " %.0f MB/s, %.0f msgs/s\n", n, BENCH_ROUNDS,
	    (double)hdrbytes * BENCH_ROUNDS / 1e6, c1 - c0,
	    (double)hdrbytes * BENCH_ROUNDS / 1e6 / (c1 - c0),
	    (double)n * BENCH_ROUNDS / (c1 - c0));

	c0 = bench_cpu();
	for (r = 0; r < BENCH_ROUNDS; r++)
		for (i = 0; i < n; i++) {
			mime_parse(&m, all.data + off[i], off[i + 1] - off[i],
			    &e);
			if ((tp = mime_text_part(&m)) != MIME_NONE) {
				buf_reset(&t);
				mime_part_text(&m.parts[tp], NULL, &t);
			}
			mime_msg_fini(&m);
		}
	c1 = bench_cpu();
	printf("mime: %zu messages x %d (%.1f MB) decoded in %.3f s CPU: "
	    "%.0f msgs/s, %.0f MB/s\n", n, BENCH_ROUNDS,
	    (double)all.len * BENCH_ROUNDS / 1e6, c1 - c0,
	    (double)n * BENCH_ROUNDS / (c1 - c0),
	    (double)all.len * BENCH_ROUNDS / 1e6 / (c1 - c0));

	memset(&o, 0, sizeof o);
	o.width = 80;
	c0 = bench_cpu();
	for (i = 0; i < n; i++) {
		mime_parse(&m, all.data + off[i], off[i + 1] - off[i], &e);
		memset(&d, 0, sizeof d);
		render_message(&d, &m, &o);
		render_doc_fini(&d);
		mime_msg_fini(&m);
	}
	c1 = bench_cpu();
	printf("render: %zu messages parsed and rendered in %.3f s CPU: "
	    "%.0f msgs/s\n", n, c1 - c0, (double)n / (c1 - c0));
	free(off);
	buf_fini(&all);
	buf_fini(&t);
	charset_cache_clear();
}
