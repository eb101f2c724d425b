/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the IMAP response parser: every response form pons
 * decodes, response codes, limits, recoverable and fatal errors, and split
 * invariance (the same stream cut at every byte gives the same responses).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imap/imap-parse.h"
#include "util/buf.h"
#include "util/err.h"

static void
dump_str(struct buf *b, const struct imap_str *s)
{
	if (s->p == NULL)
		buf_add_str(b, "NIL");
	else {
		buf_add_byte(b, '"');
		buf_add(b, s->p, s->len);
		buf_add_byte(b, '"');
	}
}

static void
dump_val(struct buf *b, const struct imap_val *v)
{
	size_t	 i;

	switch (v->type) {
	case IMAP_VAL_NIL:
		buf_add_str(b, "NIL");
		break;
	case IMAP_VAL_ATOM:
		buf_add(b, v->s.p, v->s.len);
		break;
	case IMAP_VAL_STRING:
		buf_printf(b, "%s", v->literal ? "L" : "");
		dump_str(b, &v->s);
		break;
	case IMAP_VAL_LIST:
		buf_add_byte(b, '(');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_add_byte(b, ' ');
			dump_val(b, &v->v[i]);
		}
		buf_add_byte(b, ')');
		break;
	}
}

/* A canonical text form of a response, for comparisons. */
static void
dump_resp(struct buf *b, const struct imap_resp *r)
{
	size_t	 i;

	buf_printf(b, "%d %s ", r->kind, imap_resp_type_name(r->type));
	if (r->tag.p != NULL)
		buf_printf(b, "tag=%s ", r->tag.p);
	buf_printf(b, "num=%u ", r->num);
	if (r->code.type != IMAP_CODE_NONE) {
		buf_printf(b, "code=%s[", imap_code_type_name(r->code.type));
		dump_str(b, &r->code.raw);
		buf_add_str(b, "] ");
	}
	if (r->text.p != NULL) {
		buf_add_str(b, "text=");
		dump_str(b, &r->text);
	}
	for (i = 0; i < r->nargs; i++) {
		buf_add_byte(b, ' ');
		dump_val(b, &r->args[i]);
	}
	if (r->decode_err != NULL)
		buf_printf(b, " ERR(%s)", r->decode_err);
	buf_add_byte(b, '\n');
}

/* Feed chunks, dump every response and every error into out. */
static void
collect(struct imap_parser *p, const char *in, size_t len, struct buf *out)
{
	const struct imap_resp	*r;
	struct err		 e;
	enum imap_parse_status	 st;

	imap_parser_feed(p, in, len);
	for (;;) {
		st = imap_parser_next(p, &r, &e);
		if (st == IMAP_PARSE_MORE)
			break;
		if (st == IMAP_PARSE_ERROR) {
			buf_printf(out, "ERROR %s\n", e.msg);
			if (imap_parser_is_broken(p))
				break;
			continue;
		}
		dump_resp(out, r);
	}
}

/* Parse s (whole) and return the first response; parser kept in *pp. */
static const struct imap_resp *
parse1(struct imap_parser **pp, const char *s)
{
	const struct imap_resp	*r = NULL;
	struct err		 e;
	enum imap_parse_status	 st;

	*pp = imap_parser_new(NULL);
	imap_parser_feed(*pp, s, strlen(s));
	st = imap_parser_next(*pp, &r, &e);
	if (st != IMAP_PARSE_RESP)
		fail_msg("no response (%d): %s", st,
		    st == IMAP_PARSE_ERROR ? e.msg : "more");
	return r;
}

static bool
str_is(const struct imap_str *s, const char *want)
{
	return s->p != NULL && s->len == strlen(want) &&
	    memcmp(s->p, want, s->len) == 0;
}

static void
test_greeting_and_status(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* OK [CAPABILITY IMAP4rev1 IDLE LITERAL+ "
	    "AUTH=PLAIN] Dovecot ready.\r\n");
	assert_int_equal(r->kind, IMAP_KIND_UNTAGGED);
	assert_int_equal(r->type, IMAP_RESP_OK);
	assert_int_equal(r->code.type, IMAP_CODE_CAPABILITY);
	assert_int_equal(r->code.atoms.n, 4);
	assert_true(str_is(&r->code.atoms.v[3], "AUTH=PLAIN"));
	assert_true(str_is(&r->text, "Dovecot ready."));
	imap_parser_free(p);

	r = parse1(&p, "a7 NO [TRYCREATE] No such mailbox\r\n");
	assert_int_equal(r->kind, IMAP_KIND_TAGGED);
	assert_true(str_is(&r->tag, "a7"));
	assert_int_equal(r->type, IMAP_RESP_NO);
	assert_int_equal(r->code.type, IMAP_CODE_TRYCREATE);
	imap_parser_free(p);

	/* lenient: no text at all */
	r = parse1(&p, "a8 BAD\r\n");
	assert_int_equal(r->type, IMAP_RESP_BAD);
	assert_null(r->text.p);
	imap_parser_free(p);

	r = parse1(&p, "+ idling\r\n");
	assert_int_equal(r->kind, IMAP_KIND_CONT);
	assert_true(str_is(&r->text, "idling"));
	imap_parser_free(p);

	r = parse1(&p, "+\r\n");
	assert_int_equal(r->kind, IMAP_KIND_CONT);
	imap_parser_free(p);

	r = parse1(&p, "* BYE [UNAVAILABLE] shutting down\r\n");
	assert_int_equal(r->type, IMAP_RESP_BYE);
	assert_int_equal(r->code.type, IMAP_CODE_UNAVAILABLE);
	imap_parser_free(p);

	r = parse1(&p, "* PREAUTH [CAPABILITY IMAP4rev2] hi\r\n");
	assert_int_equal(r->type, IMAP_RESP_PREAUTH);
	imap_parser_free(p);
}

static const struct {
	const char		*line;
	enum imap_code_type	 type;
	uint64_t		 num;
} code_cases[] = {
	{ "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
	    IMAP_CODE_UIDVALIDITY, 3857529045u },
	{ "* OK [UIDNEXT 4392] Predicted\r\n", IMAP_CODE_UIDNEXT, 4392 },
	{ "* OK [UNSEEN 12] first\r\n", IMAP_CODE_UNSEEN, 12 },
	{ "* OK [HIGHESTMODSEQ 715194045007] x\r\n",
	    IMAP_CODE_HIGHESTMODSEQ, 715194045007ull },
	{ "* OK [NOMODSEQ] x\r\n", IMAP_CODE_NOMODSEQ, 0 },
	{ "* OK [ALERT] System shutdown in 10 minutes\r\n",
	    IMAP_CODE_ALERT, 0 },
	{ "a1 OK [READ-ONLY] EXAMINE done\r\n", IMAP_CODE_READ_ONLY, 0 },
	{ "a1 OK [READ-WRITE] SELECT done\r\n", IMAP_CODE_READ_WRITE, 0 },
	{ "* OK [CLOSED] previous mailbox closed\r\n", IMAP_CODE_CLOSED, 0 },
	{ "a1 NO [AUTHENTICATIONFAILED] no\r\n",
	    IMAP_CODE_AUTHENTICATIONFAILED, 0 },
	{ "a1 NO [UIDNOTSTICKY] x\r\n", IMAP_CODE_UIDNOTSTICKY, 0 },
	{ "a1 BAD [PARSE] what\r\n", IMAP_CODE_PARSE, 0 },
	{ "* OK [XYZZY foo bar] x\r\n", IMAP_CODE_OTHER, 0 },
	/* lenient: free text inside the brackets */
	{ "* OK [XYZZY don't \"stop] x\r\n", IMAP_CODE_OTHER, 0 },
};

static void
test_response_codes(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;
	size_t			 i;

	for (i = 0; i < sizeof code_cases / sizeof code_cases[0]; i++) {
		r = parse1(&p, code_cases[i].line);
		assert_int_equal(r->code.type, code_cases[i].type);
		assert_true(r->code.num == code_cases[i].num);
		assert_null(r->decode_err);
		imap_parser_free(p);
	}

	r = parse1(&p, "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] L\r\n");
	assert_int_equal(r->code.type, IMAP_CODE_PERMANENTFLAGS);
	assert_int_equal(r->code.atoms.n, 3);
	assert_true(str_is(&r->code.atoms.v[2], "\\*"));
	imap_parser_free(p);

	r = parse1(&p, "a3 OK [APPENDUID 38505 3955] APPEND completed\r\n");
	assert_int_equal(r->code.type, IMAP_CODE_APPENDUID);
	assert_int_equal(r->code.uidvalidity, 38505);
	assert_int_equal(r->code.set1.n, 1);
	assert_int_equal(r->code.set1.r[0].lo, 3955);
	imap_parser_free(p);

	r = parse1(&p, "a4 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
	assert_int_equal(r->code.type, IMAP_CODE_COPYUID);
	assert_int_equal(r->code.set1.n, 2);
	assert_int_equal(r->code.set1.r[1].lo, 319);
	assert_int_equal(r->code.set1.r[1].hi, 320);
	assert_int_equal(r->code.set2.r[0].hi, 3958);
	imap_parser_free(p);

	r = parse1(&p, "a5 OK [MODIFIED 7,9] Conditional STORE failed\r\n");
	assert_int_equal(r->code.type, IMAP_CODE_MODIFIED);
	assert_int_equal(r->code.set1.n, 2);
	imap_parser_free(p);

	/* a bad number in a known code: framed, flagged, not fatal */
	r = parse1(&p, "* OK [UIDVALIDITY x] hm\r\n");
	assert_non_null(r->decode_err);
	imap_parser_free(p);
}

static void
test_simple_untagged(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED \r\n");
	assert_int_equal(r->type, IMAP_RESP_CAPABILITY);
	assert_int_equal(r->u.caps.n, 3);
	assert_true(str_is(&r->u.caps.v[2], "LOGINDISABLED"));
	imap_parser_free(p);

	r = parse1(&p, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft $Forwarded)\r\n");
	assert_int_equal(r->type, IMAP_RESP_FLAGS);
	assert_int_equal(r->u.flags.n, 6);
	assert_true(str_is(&r->u.flags.v[5], "$Forwarded"));
	imap_parser_free(p);

	r = parse1(&p, "* 23 EXISTS\r\n");
	assert_int_equal(r->type, IMAP_RESP_EXISTS);
	assert_int_equal(r->num, 23);
	imap_parser_free(p);

	r = parse1(&p, "* 0 RECENT\r\n");
	assert_int_equal(r->type, IMAP_RESP_RECENT);
	assert_int_equal(r->num, 0);
	imap_parser_free(p);

	r = parse1(&p, "* 4294967295 EXPUNGE\r\n");
	assert_int_equal(r->type, IMAP_RESP_EXPUNGE);
	assert_int_equal(r->num, 4294967295u);
	imap_parser_free(p);

	r = parse1(&p, "* ENABLED CONDSTORE QRESYNC\r\n");
	assert_int_equal(r->type, IMAP_RESP_ENABLED);
	assert_int_equal(r->u.enabled.n, 2);
	imap_parser_free(p);

	r = parse1(&p, "* XAPPLEPUSHSERVICE whatever (1 2)\r\n");
	assert_int_equal(r->type, IMAP_RESP_OTHER);
	assert_int_equal(r->nargs, 2);
	imap_parser_free(p);
}

static void
test_vanished_wide_range(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* VANISHED (EARLIER) 1:4294967295\r\n");
	assert_int_equal(r->type, IMAP_RESP_VANISHED);
	assert_true(r->u.vanished.earlier);
	/* one range, not four billion numbers */
	assert_int_equal(r->u.vanished.uids.n, 1);
	assert_int_equal(r->u.vanished.uids.r[0].lo, 1);
	assert_int_equal(r->u.vanished.uids.r[0].hi, 4294967295u);
	assert_true(imap_seqset_contains(&r->u.vanished.uids, 77));
	imap_parser_free(p);

	r = parse1(&p, "* VANISHED 41,43:116,300:*\r\n");
	assert_false(r->u.vanished.earlier);
	assert_int_equal(r->u.vanished.uids.n, 3);
	assert_true(imap_seqset_contains(&r->u.vanished.uids, 43));
	assert_false(imap_seqset_contains(&r->u.vanished.uids, 42));
	assert_true(imap_seqset_contains(&r->u.vanished.uids, 900000));
	imap_parser_free(p);

	r = parse1(&p, "* VANISHED 0:5\r\n");
	assert_non_null(r->decode_err);
	imap_parser_free(p);
}

static const char fetch_full[] =
    "* 12 FETCH (UID 4827 FLAGS (\\Seen $Label1) "
    "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 "
    "MODSEQ (12121231000) "
    "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
    "\"IMAP4rev1 WG mtg summary and minutes\" "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
    "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
    "\"<B27397-0100000@cac.washington.edu>\") "
    "BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL "
    "\"QUOTED-PRINTABLE\" 1152 23 NIL NIL NIL NIL)"
    "(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") \"<id1>\" NIL \"BASE64\" "
    "4554 NIL (\"ATTACHMENT\" (\"FILENAME\" \"a.pdf\")) NIL NIL)"
    "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 342 (NIL \"inner\" NIL NIL "
    "NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 20 1) "
    "9) \"MIXED\" (\"BOUNDARY\" \"xx\") NIL (\"en\" \"de\") NIL) "
    "BODY[HEADER.FIELDS (FROM SUBJECT)] {29}\r\n"
    "From: a@b\r\nSubject: \"hi\"\r\n\r\n"
    " BODY[1]<0> {5}\r\nHello"
    " BINARY[2] ~{3}\r\n\x00\x01\x02"
    " BODY[3] NIL)\r\n";

static void
test_fetch_full(void **state)
{
	struct imap_parser		*p;
	const struct imap_resp		*r;
	const struct imap_fetch		*f;
	const struct imap_body		*b;
	struct err			 e;

	p = imap_parser_new(NULL);
	imap_parser_feed(p, fetch_full, sizeof fetch_full - 1);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_RESP);
	assert_null(r->decode_err);
	assert_int_equal(r->wire_len, sizeof fetch_full - 1);
	f = &r->u.fetch;
	assert_int_equal(f->seq, 12);
	assert_int_equal(f->uid, 4827);
	assert_int_equal(f->have, IMAP_FETCH_UID | IMAP_FETCH_FLAGS |
	    IMAP_FETCH_INTERNALDATE | IMAP_FETCH_SIZE | IMAP_FETCH_MODSEQ |
	    IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE |
	    IMAP_FETCH_HEADER);
	assert_int_equal(f->flags.n, 2);
	assert_int_equal(f->internaldate_t, 837596665);
	assert_int_equal(f->size, 4286);
	assert_true(f->modseq == 12121231000ull);
	assert_true(str_is(&f->env->subject,
	    "IMAP4rev1 WG mtg summary and minutes"));
	assert_int_equal(f->env->cc.n, 2);
	assert_true(str_is(&f->env->cc.v[1].mailbox, "KLENSIN"));
	assert_null(f->env->cc.v[0].name.p);
	assert_null(f->env->in_reply_to.p);
	assert_true(str_is(&f->env->message_id,
	    "<B27397-0100000@cac.washington.edu>"));
	b = f->body;
	assert_true(str_is(&b->type, "MULTIPART"));
	assert_true(str_is(&b->subtype, "MIXED"));
	assert_int_equal(b->nparts, 3);
	assert_true(str_is(&b->params[0].value, "xx"));
	assert_true(str_is(&b->language, "en"));
	assert_int_equal(b->parts[0].lines, 23);
	assert_true(str_is(&b->parts[0].params[0].value, "utf-8"));
	assert_true(str_is(&b->parts[1].disposition, "ATTACHMENT"));
	assert_true(str_is(&b->parts[1].dparams[0].value, "a.pdf"));
	assert_int_equal(b->parts[1].size, 4554);
	assert_true(str_is(&b->parts[2].env->subject, "inner"));
	assert_int_equal(b->parts[2].nparts, 1);
	assert_int_equal(b->parts[2].parts[0].size, 20);
	assert_int_equal(b->parts[2].lines, 9);
	/* the header fields are the index headers, not a section */
	assert_int_equal(f->header.len, 29);
	assert_int_equal(f->header.p[f->header.len], '\0');
	assert_int_equal(f->nsections, 3);
	assert_true(str_is(&f->sections[0].spec, "1"));
	assert_true(f->sections[0].has_origin);
	assert_true(str_is(&f->sections[0].data, "Hello"));
	assert_true(f->sections[1].binary);
	assert_int_equal(f->sections[1].data.len, 3);
	assert_int_equal(f->sections[1].data.p[2], 2);
	assert_null(f->sections[2].data.p);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_MORE);
	assert_int_equal(imap_parser_pending(p), 0);
	imap_parser_free(p);
}

static void
test_fetch_partial_decode(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	/* a broken ENVELOPE does not hide the UID and FLAGS */
	r = parse1(&p, "* 3 FETCH (UID 9 FLAGS (\\Seen) ENVELOPE (\"x\"))\r\n");
	assert_non_null(r->decode_err);
	assert_int_equal(r->u.fetch.uid, 9);
	assert_true(r->u.fetch.have & IMAP_FETCH_FLAGS);
	imap_parser_free(p);

	r = parse1(&p, "* 3 FETCH (UID 0)\r\n");
	assert_non_null(r->decode_err);
	assert_false(r->u.fetch.have & IMAP_FETCH_UID);
	imap_parser_free(p);

	r = parse1(&p, "* 3 FETCH (UID 5 X-GM-LABELS (a b) RFC822.HEADER "
	    "{2}\r\nab)\r\n");
	assert_null(r->decode_err);
	assert_int_equal(r->u.fetch.nsections, 1);
	assert_true(str_is(&r->u.fetch.sections[0].spec, "HEADER"));
	imap_parser_free(p);
}

static void
test_list_status_search(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* LIST (\\HasNoChildren \\Sent) \"/\" "
	    "\"Sent Items\"\r\n");
	assert_int_equal(r->type, IMAP_RESP_LIST);
	assert_int_equal(r->u.list.attrs, IMAP_MBOX_HASNOCHILDREN |
	    IMAP_MBOX_SENT);
	assert_int_equal(r->u.list.delim, '/');
	assert_true(str_is(&r->u.list.name, "Sent Items"));
	imap_parser_free(p);

	r = parse1(&p, "* LIST (\\NoSelect) NIL INBOX\r\n");
	assert_int_equal(r->u.list.delim, -1);
	assert_true(r->u.list.attrs & IMAP_MBOX_NOSELECT);
	assert_true(str_is(&r->u.list.name, "INBOX"));
	imap_parser_free(p);

	r = parse1(&p, "* LIST (\\Subscribed \\NonExistent) \".\" {3}\r\n"
	    "a b (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (\"old\"))\r\n");
	assert_null(r->decode_err);
	assert_true(str_is(&r->u.list.name, "a b"));
	assert_true(r->u.list.childinfo_subscribed);
	assert_true(str_is(&r->u.list.oldname, "old"));
	imap_parser_free(p);

	r = parse1(&p, "* LSUB () \".\" \"#news.comp.mail.misc\"\r\n");
	assert_int_equal(r->type, IMAP_RESP_LSUB);
	imap_parser_free(p);

	r = parse1(&p, "* STATUS \"blurdybloop\" (MESSAGES 231 UIDNEXT 44292 "
	    "UNSEEN 3 UIDVALIDITY 1 HIGHESTMODSEQ 7011231777 RECENT 0)\r\n");
	assert_int_equal(r->type, IMAP_RESP_STATUS);
	assert_true(str_is(&r->u.status.mailbox, "blurdybloop"));
	assert_int_equal(r->u.status.messages, 231);
	assert_int_equal(r->u.status.uidnext, 44292);
	assert_int_equal(r->u.status.unseen, 3);
	assert_true(r->u.status.highestmodseq == 7011231777ull);
	assert_int_equal(r->u.status.have, IMAP_STATUS_MESSAGES |
	    IMAP_STATUS_UIDNEXT | IMAP_STATUS_UNSEEN |
	    IMAP_STATUS_UIDVALIDITY | IMAP_STATUS_HIGHESTMODSEQ |
	    IMAP_STATUS_RECENT);
	imap_parser_free(p);

	r = parse1(&p, "* SEARCH 2 84 882 (MODSEQ 917162500)\r\n");
	assert_int_equal(r->u.search.n, 3);
	assert_int_equal(r->u.search.v[2], 882);
	assert_true(r->u.search.modseq == 917162500);
	imap_parser_free(p);

	r = parse1(&p, "* SEARCH\r\n");
	assert_int_equal(r->type, IMAP_RESP_SEARCH);
	assert_int_equal(r->u.search.n, 0);
	imap_parser_free(p);

	r = parse1(&p, "* ESEARCH (TAG \"a567\") UID COUNT 17 ALL "
	    "4:18,21,28:4294967295 MIN 4 MAX 28\r\n");
	assert_int_equal(r->type, IMAP_RESP_ESEARCH);
	assert_true(str_is(&r->u.esearch.tag, "a567"));
	assert_true(r->u.esearch.uid);
	assert_int_equal(r->u.esearch.count, 17);
	assert_int_equal(r->u.esearch.all.n, 3);
	assert_int_equal(r->u.esearch.min, 4);
	assert_int_equal(r->u.esearch.max, 28);
	imap_parser_free(p);
}

static void
test_id_namespace(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n");
	assert_int_equal(r->type, IMAP_RESP_ID);
	assert_int_equal(r->u.id.n, 2);
	assert_true(str_is(&r->u.id.v[0].value, "Dovecot"));
	assert_null(r->u.id.v[1].value.p);
	imap_parser_free(p);

	r = parse1(&p, "* ID NIL\r\n");
	assert_int_equal(r->u.id.n, 0);
	assert_null(r->decode_err);
	imap_parser_free(p);

	r = parse1(&p, "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) "
	    "((\"#shared/\" \"/\")(\"#public/\" \"/\" \"X\" (\"y\")))\r\n");
	assert_int_equal(r->type, IMAP_RESP_NAMESPACE);
	assert_int_equal(r->u.ns.personal.n, 1);
	assert_int_equal(r->u.ns.personal.v[0].delim, '/');
	assert_int_equal(r->u.ns.shared.n, 2);
	assert_true(str_is(&r->u.ns.shared.v[1].prefix, "#public/"));
	imap_parser_free(p);

	r = parse1(&p, "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n");
	assert_int_equal(r->u.ns.other.n, 0);
	assert_null(r->decode_err);
	imap_parser_free(p);
}

static void
test_strings(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;

	r = parse1(&p, "* LIST () \"/\" \"a\\\"b\\\\c\"\r\n");
	assert_true(str_is(&r->u.list.name, "a\"b\\c"));
	imap_parser_free(p);

	/* an empty literal, and a literal holding CRLF and parentheses */
	r = parse1(&p, "* X {0}\r\n {6}\r\n)\r\n(\"x \"\"\r\n");
	assert_int_equal(r->nargs, 3);
	assert_int_equal(r->args[0].s.len, 0);
	assert_true(r->args[0].literal);
	assert_true(str_is(&r->args[1].s, ")\r\n(\"x"));
	assert_true(str_is(&r->args[2].s, ""));
	imap_parser_free(p);

	/* lenient: LF-only line ends */
	r = parse1(&p, "* 5 EXISTS\n");
	assert_int_equal(r->num, 5);
	imap_parser_free(p);
}

static void
test_recoverable_errors(void **state)
{
	struct imap_parser	*p;
	struct buf		 out = BUF_INIT;
	struct imap_limits	 lim;
	const char		*in =
	    "* LIST () \"/\" \"unterminated\r\n"
	    "* 5 FETCH (((((((((((((UID 1)))))))))))))\r\n"
	    "a1 FETCH (UID 1)\r\n"
	    "* FETCH (UID 1)\r\n"
	    "* 5 LIST () \"/\" x\r\n"
	    "* 1 EXISTS junk\r\n"
	    "* 2 EXISTS\r\n";

	imap_limits_default(&lim);
	lim.depth_max = 8;
	p = imap_parser_new(&lim);
	collect(p, in, strlen(in), &out);
	assert_string_equal(buf_str(&out),
	    "ERROR IMAP: unterminated quoted string in \"* LIST () \"/\" "
	    "\"unterminated\"\n"
	    "ERROR IMAP: lists nested too deep in \"* 5 FETCH "
	    "(((((((((((((UID 1)))))))))))))\"\n"
	    "ERROR IMAP: tagged response is not OK, NO or BAD in "
	    "\"a1 FETCH (UID 1)\"\n"
	    "ERROR IMAP: missing message number in \"* FETCH (UID 1)\"\n"
	    "ERROR IMAP: unexpected message number in \"* 5 LIST () \"/\" x\"\n"
	    "ERROR IMAP: junk after the response in \"* 1 EXISTS junk\"\n"
	    "1 EXISTS num=2 \n");
	assert_false(imap_parser_is_broken(p));
	buf_fini(&out);
	imap_parser_free(p);
}

/*
 * Asked for a response before any byte came, then a LIST with no
 * arguments at all: neither reads from a buffer that was never made
 * (pointer arithmetic on NULL, which the sanitizer build stops at).
 */
static void
test_nothing_yet(void **state)
{
	struct imap_parser	*p = imap_parser_new(NULL);
	const struct imap_resp	*r;
	struct err		 e;
	struct buf		 out = BUF_INIT;

	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_MORE);
	collect(p, "* LIST\r\n", 8, &out);
	assert_string_equal(buf_str(&out), "1 LIST num=0  ERR(bad LIST)\n");
	buf_fini(&out);
	imap_parser_free(p);
}

static void
test_fatal_limits(void **state)
{
	struct imap_parser	*p;
	struct imap_limits	 lim;
	const struct imap_resp	*r;
	struct err		 e;
	char			 big[200];

	imap_limits_default(&lim);
	lim.line_max = 100;
	lim.literal_max = 10;
	lim.resp_max = 150;

	p = imap_parser_new(&lim);
	memset(big, 'x', sizeof big);
	imap_parser_feed(p, "* OK ", 5);
	imap_parser_feed(p, big, sizeof big);	/* no CRLF yet */
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	assert_int_equal(e.cls, ERR_LIMIT);
	assert_true(imap_parser_is_broken(p));
	/* broken stays broken until reset */
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	imap_parser_reset(p);
	imap_parser_feed(p, "* 1 EXISTS\r\n", 12);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_RESP);
	assert_int_equal(r->num, 1);

	/* the literal is refused on its announcement, before its bytes */
	imap_parser_feed(p, "* X {11}\r\n", 10);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	assert_int_equal(e.cls, ERR_LIMIT);
	assert_non_null(strstr(e.msg, "literal of 11 bytes"));
	imap_parser_reset(p);

	imap_parser_feed(p, "* X {99999999999999999999}\r\n", 28);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	imap_parser_reset(p);

	/* many small literals still hit the response cap */
	for (int i = 0; i < 20; i++)
		imap_parser_feed(p, "* X {9}\r\n123456789", 18);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	assert_non_null(strstr(e.msg, "larger than 150"));
	imap_parser_free(p);
}

static const char stream[] =
    "* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"
    "a1 OK done\r\n"
    "* 3 FETCH (UID 7 BODY[HEADER] {12}\r\nSubject: x\r\n"
    " BODY[TEXT]<0> {4}\r\n}\r\n{ FLAGS (\\Seen))\r\n"
    "* LIST () \"/\" {5}\r\na\"b c\r\n"
    "+ go ahead\r\n"
    "* VANISHED (EARLIER) 1:4294967295\r\n"
    "* X ~{2}\r\n\r\n\r\n"
    "a2 NO [ALERT] nope\r\n";

static void
test_split_invariance(void **state)
{
	struct imap_parser	*p;
	struct buf		 want = BUF_INIT, got = BUF_INIT;
	size_t			 len = sizeof stream - 1, cut, i;

	p = imap_parser_new(NULL);
	collect(p, stream, len, &want);
	imap_parser_free(p);
	assert_null(strstr(buf_str(&want), "ERROR"));
	assert_null(strstr(buf_str(&want), "ERR("));
	for (cut = 0; cut <= len; cut++) {
		p = imap_parser_new(NULL);
		buf_reset(&got);
		collect(p, stream, cut, &got);
		collect(p, stream + cut, len - cut, &got);
		if (strcmp(buf_str(&got), buf_str(&want)) != 0)
			fail_msg("split at %zu:\n%s\nwant:\n%s", cut,
			    buf_str(&got), buf_str(&want));
		imap_parser_free(p);
	}
	/* and one byte at a time */
	p = imap_parser_new(NULL);
	buf_reset(&got);
	for (i = 0; i < len; i++)
		collect(p, stream + i, 1, &got);
	assert_string_equal(buf_str(&got), buf_str(&want));
	imap_parser_free(p);
	buf_fini(&want);
	buf_fini(&got);
}

/*
 * collect() with the bytes lent (imap_parser_feed_borrow) from a copy
 * that is scribbled over and freed after imap_parser_keep, pulling at
 * most max responses first, so what the parser kept is what it uses.
 */
static void
collect_lent(struct imap_parser *p, const char *in, size_t len,
    struct buf *out, size_t max)
{
	const struct imap_resp	*r;
	struct err		 e;
	enum imap_parse_status	 st;
	char			*lent;
	size_t			 n = 0;

	lent = malloc(len + 1);
	assert_non_null(lent);
	memcpy(lent, in, len);
	imap_parser_feed_borrow(p, lent, len);
	while (n < max) {
		st = imap_parser_next(p, &r, &e);
		if (st == IMAP_PARSE_MORE)
			break;
		n++;
		if (st == IMAP_PARSE_ERROR) {
			buf_printf(out, "ERROR %s\n", e.msg);
			if (imap_parser_is_broken(p))
				break;
			continue;
		}
		dump_resp(out, r);
	}
	imap_parser_keep(p);
	memset(lent, 'X', len + 1);
	free(lent);
}

static void
test_feed_borrow(void **state)
{
	struct imap_parser	*p;
	struct buf		 want = BUF_INIT, got = BUF_INIT;
	size_t			 len = sizeof stream - 1, cut, i, step;

	(void)state;
	p = imap_parser_new(NULL);
	collect(p, stream, len, &want);
	imap_parser_free(p);
	for (cut = 0; cut <= len; cut++) {
		p = imap_parser_new(NULL);
		buf_reset(&got);
		collect_lent(p, stream, cut, &got, SIZE_MAX);
		collect_lent(p, stream + cut, len - cut, &got, SIZE_MAX);
		if (strcmp(buf_str(&got), buf_str(&want)) != 0)
			fail_msg("lent, split at %zu:\n%s\nwant:\n%s", cut,
			    buf_str(&got), buf_str(&want));
		imap_parser_free(p);
	}
	/* one response pulled per piece: the rest waits, lent bytes kept */
	for (step = 1; step < 64; step += 9) {
		p = imap_parser_new(NULL);
		buf_reset(&got);
		for (i = 0; i < len; i += step)
			collect_lent(p, stream + i, i + step < len ? step :
			    len - i, &got, 1);
		assert_true(imap_parser_pending(p) > 0 ||
		    strcmp(buf_str(&got), buf_str(&want)) == 0);
		collect(p, "", 0, &got);
		if (strcmp(buf_str(&got), buf_str(&want)) != 0)
			fail_msg("lent, step %zu:\n%s\nwant:\n%s", step,
			    buf_str(&got), buf_str(&want));
		imap_parser_free(p);
	}
	/* a reset forgets lent bytes; free with bytes still lent is fine */
	p = imap_parser_new(NULL);
	imap_parser_feed_borrow(p, stream, len);
	assert_int_equal(imap_parser_pending(p), len);
	imap_parser_reset(p);
	assert_int_equal(imap_parser_pending(p), 0);
	imap_parser_keep(p);
	assert_int_equal(imap_parser_pending(p), 0);
	imap_parser_feed_borrow(p, stream, len);
	imap_parser_free(p);
	buf_fini(&want);
	buf_fini(&got);
}

/*
 * The index fetch's answer: BODY[HEADER.FIELDS (...)] with a literal,
 * which becomes imap_fetch.header (not a section), handed out in place.
 * The literal holds what looks like protocol, a NUL and 8-bit bytes.
 */
static const char hdr_stream[] =
    "* 3 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE "
    "\"26-Nov-2026 10:00:00 +0000\" RFC822.SIZE 1234 MODSEQ (5) "
    "BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO "
    "REFERENCES CONTENT-TYPE)] {63}\r\n"
    "Subject: x)\r\n* 4 FETCH {5}\r\n"
    "From: a\x00" "b <a@b>\r\n"
    "To: \xc3\xa9t\xe9 <t@b>\r\n"
    "\r\n)\r\n"
    "* 4 FETCH (UID 8 BODY[HEADER.FIELDS (FROM)] {0}\r\n"
    " RFC822.SIZE 9)\r\n"
    "* 5 FETCH (BODY[HEADER.FIELDS (FROM)] \"From: q\" UID 9)\r\n"
    "a9 OK done\r\n";

/* Offset of s in hdr_stream, which holds a NUL (no strstr). */
static size_t
hdr_off(const char *s)
{
	const char	*p;

	p = memmem(hdr_stream, sizeof hdr_stream - 1, s, strlen(s));
	assert_non_null(p);
	return (size_t)(p - hdr_stream);
}

/* The typed view of each FETCH of hdr_stream, and every error. */
static void
collect_hdr(struct imap_parser *p, const char *in, size_t len,
    struct buf *out)
{
	const struct imap_resp	*r;
	const struct imap_fetch	*f;
	struct err		 e;
	enum imap_parse_status	 st;

	imap_parser_feed(p, in, len);
	while ((st = imap_parser_next(p, &r, &e)) != IMAP_PARSE_MORE) {
		if (st == IMAP_PARSE_ERROR) {
			buf_printf(out, "ERROR %s\n", e.msg);
			continue;
		}
		if (r->type != IMAP_RESP_FETCH) {
			buf_printf(out, "%s\n", imap_resp_type_name(r->type));
			continue;
		}
		f = &r->u.fetch;
		buf_printf(out, "seq=%u uid=%u have=%#x size=%llu sections=%zu "
		    "err=%s wire=%zu header(%zu)=", f->seq, f->uid, f->have,
		    (unsigned long long)f->size, f->nsections,
		    r->decode_err != NULL ? r->decode_err : "-", r->wire_len,
		    f->header.len);
		assert_non_null(f->header.p);
		assert_int_equal(f->header.p[f->header.len], '\0');
		buf_add(out, f->header.p, f->header.len);
		buf_add_byte(out, '\n');
	}
}

static void
test_fetch_header_fields(void **state)
{
	struct imap_parser	*p;
	struct buf		 want = BUF_INIT, got = BUF_INIT;
	size_t			 len = sizeof hdr_stream - 1, cut, i;
	static const char	 hdr[] = "Subject: x)\r\n* 4 FETCH {5}\r\n"
	    "From: a\x00" "b <a@b>\r\nTo: \xc3\xa9t\xe9 <t@b>\r\n\r\n";

	(void)state;
	assert_int_equal(sizeof hdr - 1, 63);
	p = imap_parser_new(NULL);
	collect_hdr(p, hdr_stream, len, &want);
	imap_parser_free(p);
	/* what the whole stream gives, checked once by hand */
	buf_reset(&got);
	buf_printf(&got, "seq=3 uid=7 have=%#x size=1234 sections=0 err=- "
	    "wire=%zu header(63)=", IMAP_FETCH_UID | IMAP_FETCH_FLAGS |
	    IMAP_FETCH_INTERNALDATE | IMAP_FETCH_SIZE | IMAP_FETCH_MODSEQ |
	    IMAP_FETCH_HEADER, hdr_off("* 4 FETCH ("));
	buf_add(&got, hdr, sizeof hdr - 1);
	buf_printf(&got, "\nseq=4 uid=8 have=%#x size=9 sections=0 err=- "
	    "wire=%zu header(0)=\n", IMAP_FETCH_UID | IMAP_FETCH_SIZE |
	    IMAP_FETCH_HEADER, hdr_off("* 5") - hdr_off("* 4 FETCH ("));
	buf_printf(&got, "seq=5 uid=9 have=%#x size=0 sections=0 err=- "
	    "wire=%zu header(7)=From: q\nOK\n", IMAP_FETCH_UID |
	    IMAP_FETCH_HEADER, hdr_off("a9 ") - hdr_off("* 5"));
	if (got.len != want.len || memcmp(got.data, want.data, want.len))
		fail_msg("got:\n%s\nwant:\n%s", buf_str(&got),
		    buf_str(&want));
	/* the literal split at every byte */
	for (cut = 0; cut <= len; cut++) {
		size_t	 done = 0, b[4];

		b[0] = hdr_off("* 4 FETCH (");
		b[1] = hdr_off("* 5");
		b[2] = hdr_off("a9 ");
		b[3] = len;
		for (i = 0; i < 4; i++)
			if (b[i] <= cut)
				done = b[i];
		p = imap_parser_new(NULL);
		buf_reset(&got);
		collect_hdr(p, hdr_stream, cut, &got);
		/* bytes fed, not returned: the literal's NUL is not one */
		assert_int_equal(imap_parser_pending(p), cut - done);
		collect_hdr(p, hdr_stream + cut, len - cut, &got);
		if (got.len != want.len ||
		    memcmp(got.data, want.data, want.len) != 0)
			fail_msg("split at %zu", cut);
		assert_int_equal(imap_parser_pending(p), 0);
		imap_parser_free(p);
	}
	p = imap_parser_new(NULL);
	buf_reset(&got);
	for (i = 0; i < len; i++)
		collect_hdr(p, hdr_stream + i, 1, &got);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	imap_parser_free(p);
	buf_fini(&want);
	buf_fini(&got);
}

/* What is and is not the index header block. */
static void
test_fetch_header_forms(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;
	const struct imap_fetch	*f;

	(void)state;
	/* NIL: a row without header fields, and a reason to show */
	r = parse1(&p, "* 1 FETCH (UID 3 BODY[HEADER.FIELDS (FROM)] NIL)\r\n");
	f = &r->u.fetch;
	assert_true(f->have & IMAP_FETCH_HEADER);
	assert_null(f->header.p);
	assert_non_null(r->decode_err);
	assert_int_equal(f->uid, 3);
	imap_parser_free(p);
	/* not a string: decode error, the rest still decoded */
	r = parse1(&p, "* 1 FETCH (BODY[HEADER.FIELDS (FROM)] (x) UID 3)\r\n");
	f = &r->u.fetch;
	assert_false(f->have & IMAP_FETCH_HEADER);
	assert_non_null(r->decode_err);
	assert_int_equal(f->uid, 3);
	imap_parser_free(p);
	/* case does not matter */
	r = parse1(&p, "* 1 FETCH (body[header.fields (from)] {3}\r\nA:b)\r\n");
	assert_true(r->u.fetch.have & IMAP_FETCH_HEADER);
	assert_int_equal(r->u.fetch.header.len, 3);
	imap_parser_free(p);
	/* .NOT, an origin, the whole header: ordinary sections */
	r = parse1(&p, "* 1 FETCH (BODY[HEADER.FIELDS.NOT (FROM)] {3}\r\nA:b"
	    " BODY[HEADER.FIELDS (FROM)]<0> {3}\r\nC:d BODY[HEADER] \"E:f\")"
	    "\r\n");
	f = &r->u.fetch;
	assert_null(r->decode_err);
	assert_false(f->have & IMAP_FETCH_HEADER);
	assert_int_equal(f->nsections, 3);
	assert_true(str_is(&f->sections[0].spec, "HEADER.FIELDS.NOT (FROM)"));
	assert_true(str_is(&f->sections[1].data, "C:d"));
	assert_true(f->sections[1].has_origin);
	assert_true(str_is(&f->sections[2].spec, "HEADER"));
	imap_parser_free(p);
	/* a second, broken ENVELOPE keeps the first */
	r = parse1(&p, "* 1 FETCH (ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL "
	    "NIL NIL NIL) ENVELOPE x BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL "
	    "NIL NIL \"7BIT\" 1 1) BODY 7)\r\n");
	f = &r->u.fetch;
	assert_non_null(r->decode_err);
	assert_true(f->have & IMAP_FETCH_ENVELOPE);
	assert_non_null(f->env);
	assert_true(str_is(&f->env->subject, "s"));
	assert_true(f->have & IMAP_FETCH_BODYSTRUCTURE);
	assert_non_null(f->body);
	assert_true(str_is(&f->body->subtype, "PLAIN"));
	imap_parser_free(p);
}

/* A FETCH damaged after some items: those items still count (issue 4). */
static void
test_fetch_damaged(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;
	const struct imap_fetch	*f;
	struct err		 e;
	static const char	 bad[] = "* 3 FETCH (UID 7 RFC822.SIZE 9 "
	    "BODY[HEADER.FIELDS (FROM)] {3}\r\nA:b FLAGS (\\Seen \"x)\r\n"
	    "* 4 FETCH (\"x)\r\n"
	    "* 5 FETCH (UID 8)\r\n";

	(void)state;
	p = imap_parser_new(NULL);
	imap_parser_feed(p, bad, sizeof bad - 1);
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_RESP);
	f = &r->u.fetch;
	assert_non_null(r->decode_err);
	assert_non_null(strstr(r->decode_err, "items after it ignored"));
	assert_int_equal(f->have, IMAP_FETCH_UID | IMAP_FETCH_SIZE |
	    IMAP_FETCH_HEADER);
	assert_int_equal(f->uid, 7);
	assert_int_equal(f->size, 9);
	assert_true(str_is(&f->header, "A:b"));
	/* nothing readable: an error, and the stream goes on */
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_ERROR);
	assert_false(imap_parser_is_broken(p));
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_RESP);
	assert_int_equal(r->u.fetch.uid, 8);
	assert_null(r->decode_err);
	imap_parser_free(p);
}

/* INTERNALDATE of one FETCH, or INT64_MIN if the response had none. */
static int64_t
internaldate(const char *date)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;
	struct err		 e;
	char			 line[128];
	int64_t			 t = INT64_MIN;

	snprintf(line, sizeof line, "* 1 FETCH (UID 1 INTERNALDATE \"%s\")"
	    "\r\n", date);
	p = imap_parser_new(NULL);
	imap_parser_feed(p, line, strlen(line));
	assert_int_equal(imap_parser_next(p, &r, &e), IMAP_PARSE_RESP);
	if (r->u.fetch.have & IMAP_FETCH_INTERNALDATE)
		t = r->u.fetch.internaldate_t;
	imap_parser_free(p);
	return t;
}

/* Numbers at the edges of their ranges, and past them. */
static void
test_numbers(void **state)
{
	static const struct {
		const char	*in;
		bool		 ok;
		uint64_t	 size;
		uint64_t	 modseq;
	} cases[] = {
		{ "RFC822.SIZE 18446744073709551615 "
		    "MODSEQ (9223372036854775807)", true, UINT64_MAX,
		    INT64_MAX },
		{ "RFC822.SIZE 9999999999999999999 MODSEQ (1)", true,
		    9999999999999999999ULL, 1 },
		{ "RFC822.SIZE 00000000000000000000042 MODSEQ (007)", true, 42,
		    7 },
		{ "RFC822.SIZE 18446744073709551616 MODSEQ (1)", false, 0, 1 },
		{ "RFC822.SIZE 99999999999999999999 MODSEQ (1)", false, 0, 1 },
		{ "RFC822.SIZE 1 MODSEQ (9223372036854775808)", false, 1, 0 },
		{ "RFC822.SIZE 1x MODSEQ (1)", false, 0, 1 },
		{ "RFC822.SIZE -1 MODSEQ (1)", false, 0, 1 },
	};
	struct imap_parser	*p;
	const struct imap_resp	*r;
	char			 line[200];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(line, sizeof line, "* 1 FETCH (UID 4294967295 %s)\r\n",
		    cases[i].in);
		r = parse1(&p, line);
		assert_int_equal(r->u.fetch.uid, 4294967295u);
		if ((r->decode_err == NULL) != cases[i].ok)
			fail_msg("case %zu: %s", i, r->decode_err ?
			    r->decode_err : "no error");
		if (r->u.fetch.size != cases[i].size ||
		    r->u.fetch.modseq != cases[i].modseq)
			fail_msg("case %zu: %llu %llu", i,
			    (unsigned long long)r->u.fetch.size,
			    (unsigned long long)r->u.fetch.modseq);
		imap_parser_free(p);
	}
	r = parse1(&p, "* 1 FETCH (UID 4294967296)\r\n");
	assert_non_null(r->decode_err);
	imap_parser_free(p);
	r = parse1(&p, "* 4294967295 EXISTS\r\n");
	assert_int_equal(r->num, 4294967295u);
	imap_parser_free(p);
	/* a literal's length may have leading zeros (19 digits at most) */
	r = parse1(&p, "* 1 FETCH (BODY[1] {0000000000000000003}\r\nabc)"
	    "\r\n");
	assert_int_equal(r->u.fetch.nsections, 1);
	assert_true(str_is(&r->u.fetch.sections[0].data, "abc"));
	imap_parser_free(p);
}

/* Atoms as the tokenizer cuts them: keys in any case, NIL, brackets. */
static void
test_atom_forms(void **state)
{
	struct imap_parser	*p;
	const struct imap_resp	*r;
	const struct imap_fetch	*f;

	(void)state;
	r = parse1(&p, "* 1 FETCH (uid 7 flags (nil NILS \\Seen Nil) "
	    "rfc822.size 5 Modseq (9) internaldate \"17-dec-1996 09:44:25 "
	    "+0000\" x[a [b] c]<1> NIL)\r\n");
	f = &r->u.fetch;
	assert_null(r->decode_err);
	assert_int_equal(f->uid, 7);
	assert_int_equal(f->size, 5);
	assert_int_equal(f->modseq, 9);
	assert_int_equal(f->internaldate_t, 850815865);
	assert_int_equal(f->flags.n, 2);	/* NIL is no flag */
	assert_true(str_is(&f->flags.v[0], "NILS"));
	assert_true(str_is(&f->flags.v[1], "\\Seen"));
	assert_int_equal(r->args[0].n, 12);
	assert_true(str_is(&r->args[0].v[10].s, "x[a [b] c]<1>"));
	assert_int_equal(r->args[0].v[11].type, IMAP_VAL_NIL);
	imap_parser_free(p);
	/* a '[' never closed on its line: the items before it count */
	r = parse1(&p, "* 1 FETCH (UID 2 RFC822.SIZE 3 BODY[TEXT \"x\")\r\n");
	f = &r->u.fetch;
	assert_non_null(r->decode_err);
	assert_non_null(strstr(r->decode_err, "unterminated ["));
	assert_int_equal(f->uid, 2);
	assert_int_equal(f->size, 3);
	imap_parser_free(p);
	/* more items than the first array holds */
	r = parse1(&p, "* 1 FETCH (A 1 B 2 C 3 D 4 E 5 F 6 G 7 H 8 I 9 J 10 "
	    "UID 11)\r\n");
	assert_int_equal(r->args[0].n, 22);
	assert_true(str_is(&r->args[0].v[19].s, "10"));
	assert_int_equal(r->u.fetch.uid, 11);
	imap_parser_free(p);
}

static void
test_internaldate(void **state)
{
	(void)state;
	/* RFC 3501's example, and the same instant written elsewhere */
	assert_int_equal(internaldate("17-Jul-1996 02:44:25 -0700"),
	    837596665);
	assert_int_equal(internaldate("17-Jul-1996 09:44:25 +0000"),
	    837596665);
	assert_int_equal(internaldate("17-jul-1996 11:14:25 +0130"),
	    837596665);
	/* a one-digit day, with its space and without */
	assert_int_equal(internaldate(" 7-Jul-1996 09:44:25 +0000"),
	    837596665 - 10 * 86400);
	assert_int_equal(internaldate("7-Jul-1996 09:44:25 +0000"),
	    837596665 - 10 * 86400);
	assert_int_equal(internaldate("29-Feb-2024 23:59:60 +0000"),
	    1709251200);
}

static void
test_internaldate_bad(void **state)
{
	static const char *const bad[] = {
		"32-Jul-1996 02:44:25 -0700",
		"17-Jux-1996 02:44:25 -0700",
		"17-Jul-1996 24:44:25 -0700",
		"17-Jul-1996 02:60:25 -0700",
		"17-Jul-1996 02:44:61 -0700",
		"17-Jul-1996 02:44:25 *0700",
		"17-Jul-1996 02:44:25 -07x0",
		"17-Jul-96 02:44:25 -0700",
		"17 Jul 1996 02:44:25 -0700",
		"17-Jul-1996 02:44:25 -07000",
		"x7-Jul-1996 02:44:25 -0700",
		"",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_true(internaldate(bad[i]) == INT64_MIN ||
		    internaldate(bad[i]) < 0);
}

static void
test_seqset_parse(void **state)
{
	static const struct {
		const char	*in;
		bool		 ok;
		size_t		 n;
	} cases[] = {
		{ "1", true, 1 }, { "1:*", true, 1 }, { "*", true, 1 },
		{ "4:2,7,9:10", true, 3 }, { "1:4294967295", true, 1 },
		{ "", false, 0 }, { ",", false, 0 }, { "1,", false, 0 },
		{ "0", false, 0 }, { "1:", false, 0 }, { "a", false, 0 },
		{ "4294967296", false, 0 }, { "1::2", false, 0 },
		{ "1,2,3,4,5,6", false, 0 },	/* over max_ranges */
	};
	struct imap_range	*r;
	size_t			 i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = imap_seqset_parse(cases[i].in, strlen(cases[i].in),
		    5, &r, &n);
		if (ok != cases[i].ok)
			fail_msg("seqset \"%s\"", cases[i].in);
		if (ok)
			assert_int_equal(n, cases[i].n);
		free(r);
	}
	assert_true(imap_seqset_parse("4:2", 3, 5, &r, &n));
	assert_int_equal(r[0].lo, 2);
	assert_int_equal(r[0].hi, 4);
	free(r);
}

/*
 * A set as a server sends it (unsorted, overlapping, touching) comes out
 * sorted and merged, and the search finds exactly its UIDs.
 */
static void
test_seqset_sorted(void **state)
{
	static const char	 in[] = "30:40,7,1:3,4,35:50,9,8,60,4294967295";
	struct imap_seqset	 set;
	struct imap_range	*v, *r;
	size_t			 nv, n;
	uint32_t		 u;

	(void)state;
	assert_true(imap_seqset_parse(in, strlen(in), 20, &v, &nv));
	set.r = v;
	set.n = nv;
	n = imap_seqset_sorted(&set, &r);
	assert_int_equal(n, 5);
	assert_int_equal(r[0].lo, 1);
	assert_int_equal(r[0].hi, 4);
	assert_int_equal(r[1].lo, 7);
	assert_int_equal(r[1].hi, 9);
	assert_int_equal(r[2].lo, 30);
	assert_int_equal(r[2].hi, 50);
	assert_int_equal(r[3].lo, 60);
	assert_int_equal(r[4].lo, 4294967295U);
	for (u = 0; u < 70; u++)
		assert_int_equal(imap_ranges_have(r, n, u),
		    imap_seqset_contains(&set, u));
	assert_true(imap_ranges_have(r, n, 4294967295U));
	assert_false(imap_ranges_have(r, n, 4294967294U));
	free(r);
	set.n = 0;	/* empty: nothing, and still an array to free */
	n = imap_seqset_sorted(&set, &r);
	assert_int_equal(n, 0);
	assert_false(imap_ranges_have(r, n, 1));
	free(r);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting_and_status),
		cmocka_unit_test(test_response_codes),
		cmocka_unit_test(test_simple_untagged),
		cmocka_unit_test(test_vanished_wide_range),
		cmocka_unit_test(test_fetch_full),
		cmocka_unit_test(test_fetch_partial_decode),
		cmocka_unit_test(test_list_status_search),
		cmocka_unit_test(test_id_namespace),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_recoverable_errors),
		cmocka_unit_test(test_nothing_yet),
		cmocka_unit_test(test_fatal_limits),
		cmocka_unit_test(test_split_invariance),
		cmocka_unit_test(test_fetch_header_fields),
		cmocka_unit_test(test_fetch_header_forms),
		cmocka_unit_test(test_fetch_damaged),
		cmocka_unit_test(test_seqset_parse),
		cmocka_unit_test(test_seqset_sorted),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_atom_forms),
		cmocka_unit_test(test_feed_borrow),
		cmocka_unit_test(test_internaldate),
		cmocka_unit_test(test_internaldate_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
