/* SPDX-License-Identifier: ISC */
/*
 * pons --dump-config: every option, its value and where it came from.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/buf.h"

static void
conf_dump_origin(const struct opts *o, enum opt_id id, struct buf *out)
{
	switch (opt_origin(o, id)) {
	case OPT_ORIGIN_DEFAULT:
		buf_add_str(out, "default");
		break;
	case OPT_ORIGIN_FILE:
		buf_printf(out, "%s:%u", opt_origin_file(o, id),
		    opt_origin_line(o, id));
		break;
	case OPT_ORIGIN_CMDLINE:
		buf_add_str(out, "command line");
		break;
	case OPT_ORIGIN_SET:
		buf_add_str(out, "changed, not saved");
		break;
	}
}

static void
conf_dump_opts(const struct opts *o, enum opt_section sec,
    const struct conf_account *a, struct buf *out)
{
	const char	*text;
	char		*derived;
	size_t		 i;

	for (i = 0; i < OPT_COUNT; i++) {
		if (opt_defs[i].section != sec)
			continue;
		text = opt_text(o, (enum opt_id)i);
		buf_printf(out, "%s = ", opt_defs[i].name);
		derived = NULL;
		if (text != NULL && (opt_defs[i].flags & OPT_F_SENSITIVE))
			buf_add_str(out, "********");
		else if (text != NULL)
			conf_quote_value(text, out);
		else if (a != NULL && i == OPT_ACCOUNT_PORT)
			buf_printf(out, "%d", conf_account_port(a));
		else if (a != NULL && i == OPT_ACCOUNT_SPOOL) {
			derived = conf_account_spool(a);
			buf_add_str(out, derived);
		} else
			buf_add_str(out, "<unset>");
		buf_add_str(out, "  # ");
		conf_dump_origin(o, (enum opt_id)i, out);
		buf_add_byte(out, '\n');
		free(derived);
	}
}

void
conf_dump(const struct conf *c, struct buf *out)
{
	const struct conf_key	*k;
	const char		*screen = NULL;
	size_t			 i, sec;

	for (sec = 0; sec < OPT_SEC_ACCOUNT; sec++) {
		buf_printf(out, "[%s]\n", opt_section_name(sec));
		conf_dump_opts(c->st.global, sec, NULL, out);
	}
	for (i = 0; i < c->st.nacc; i++) {
		buf_add_str(out, "[account \"");
		buf_add_str(out, c->st.acc[i]->name);
		buf_add_str(out, "\"]\n");
		conf_dump_opts(c->st.acc[i]->opts, OPT_SEC_ACCOUNT,
		    c->st.acc[i], out);
	}
	for (i = 0; i < c->st.nkeys; i++) {
		k = &c->st.keys[i];
		if (screen == NULL || strcmp(screen, k->screen) != 0)
			buf_printf(out, "[keys.%s]\n", k->screen);
		screen = k->screen;
		buf_printf(out, "%s = %s  # ", k->key, k->action);
		if (k->origin == OPT_ORIGIN_FILE)
			buf_printf(out, "%s:%u\n", c->path != NULL ? c->path :
			    "config", k->line);
		else
			buf_add_str(out, "changed, not saved\n");
	}
}
