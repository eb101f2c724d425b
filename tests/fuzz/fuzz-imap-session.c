/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the IMAP session: a logged-in session with INBOX
 * selected gets arbitrary server bytes; control bytes in the input also
 * queue requests and move the fake clock.  Nothing may crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t	 fz_now;
static volatile size_t fz_sink;

static uint64_t
fz_clock(void *arg)
{
	(void)arg;
	return fz_now;
}

static void
fz_event(void *arg, const struct imap_event *ev)
{
	struct buf	 b = BUF_INIT;

	(void)arg;
	imap_event_format(ev, &b);	/* reads every field the event names */
	fz_sink += b.len;
	buf_fini(&b);
}

static void
fz_drain(struct imap_session *s)
{
	const void	*p;
	size_t		 n;

	n = imap_session_output(s, &p);
	imap_session_sent(s, n);
}

static void
fz_feed(struct imap_session *s, const char *text)
{
	imap_session_input(s, text, strlen(text));
	fz_drain(s);
}

/* Byte 0x01..0x08 at the start of a chunk: a request or time. */
static void
fz_control(struct imap_session *s, uint8_t c)
{
	static const uint32_t	 uids[] = { 1, 2, 3, 7 };
	struct imap_range	 r = { 1, UINT32_MAX };
	struct err		 e;

	switch (c) {
	case 1: (void)imap_session_fetch_headers(s, 0, &e); break;
	case 2: (void)imap_session_store(s, uids, 4, true, "\\Seen", &e); break;
	case 3: (void)imap_session_move(s, uids, 4, "Trash", &e); break;
	case 4: (void)imap_session_fetch_flags(s, &r, 1, 5, &e); break;
	case 5: (void)imap_session_append(s, "Sent", NULL, "x\r\n", 3, &e);
		break;
	case 6: fz_now += 30 * 60 * 1000; imap_session_tick(s, fz_now); break;
	case 7: (void)imap_session_select(s, "Other", NULL, false, &e); break;
	case 8: (void)imap_session_list(s, &e); break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_params	 p;
	struct imap_session	*s;
	struct err		 e;
	size_t			 i, start = 0;

	imap_params_default(&p);
	p.clock = fz_clock;
	p.first_chunk = 2;
	p.chunk = 3;
	p.exists_max = 1000;
	p.limits.line_max = 4096;
	p.limits.literal_max = 4096;
	p.limits.resp_max = 16384;
	fz_now = 1000;
	s = imap_session_new(&p, fz_event, NULL);
	imap_session_start(s, true);
	(void)imap_session_login(s, "u", "p", &e);
	fz_feed(s, "* OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS ESEARCH ENABLE "
	    "QRESYNC LITERAL+] hi\r\n");
	fz_feed(s, "a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS ESEARCH ENABLE "
	    "QRESYNC] ok\r\n* ENABLED QRESYNC\r\na2 OK\r\n");
	(void)imap_session_select(s, "INBOX", NULL, false, &e);
	fz_feed(s, "* 5 EXISTS\r\n* OK [UIDVALIDITY 3] x\r\na3 OK [READ-WRITE] "
	    "x\r\n* ESEARCH (TAG \"a4\") UID ALL 1:3,7:8\r\na4 OK\r\n");
	/* the fuzz input, cut at control bytes */
	for (i = 0; i <= size; i++) {
		if (i < size && (data[i] == 0 || data[i] > 8))
			continue;
		imap_session_input(s, data + start, i - start);
		fz_drain(s);
		if (i < size)
			fz_control(s, data[i]);
		fz_drain(s);
		start = i + 1;
	}
	imap_session_eof(s);
	imap_session_free(s);
	return 0;
}
