/* SPDX-License-Identifier: ISC */
/*
 * Saving run-time changes back into the user's file (only changed lines
 * change; see conf-write.c), refusing to overwrite an outside edit, and
 * reloading the file with a list of what changed.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct conf_edits {
	struct conf_edit	*v;
	size_t			 n;
};

static struct conf_edit *
conf_edit_new(struct conf_edits *ed, enum conf_edit_kind kind,
    unsigned int line)
{
	struct conf_edit	*e;

	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof *ed->v);
	e = &ed->v[ed->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->line = line;
	return e;
}

static void
conf_edits_opts(struct conf_edits *ed, const struct opts *o,
    const char *section, const char *sub, bool force_header)
{
	struct conf_edit	*e;
	size_t			 i;
	bool			 any = false;

	for (i = 0; i < OPT_COUNT; i++) {
		if ((opt_defs[i].section == OPT_SEC_ACCOUNT) != (sub != NULL) ||
		    strcmp(opt_section_name(opt_defs[i].section), section) != 0 ||
		    opt_origin(o, (enum opt_id)i) != OPT_ORIGIN_SET)
			continue;
		if (opt_origin_line(o, (enum opt_id)i) > 0)
			e = conf_edit_new(ed, CONF_EDIT_REPLACE,
			    opt_origin_line(o, (enum opt_id)i));
		else {
			e = conf_edit_new(ed, CONF_EDIT_APPEND, 0);
			e->section = section;
			e->sub = sub;
			e->name = opt_defs[i].name;
			any = true;
		}
		e->value = opt_text(o, (enum opt_id)i);
	}
	if (force_header && !any) {
		e = conf_edit_new(ed, CONF_EDIT_APPEND, 0);
		e->section = section;
		e->sub = sub;
	}
}

struct conf_names {
	char	**v;
	size_t	  n;
};

static const char *
conf_names_add(struct conf_names *nm, char *s)
{
	nm->v = xreallocarray(nm->v, nm->n + 1, sizeof *nm->v);
	nm->v[nm->n++] = s;
	return s;
}

static void
conf_names_fini(struct conf_names *nm)
{
	size_t	 i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static void
conf_edits_build(const struct conf *c, struct conf_edits *ed,
    struct conf_names *names)
{
	const struct conf_state	*st = &c->st;
	const struct conf_key	*k;
	struct conf_edit	*e;
	size_t			 i;

	for (i = 0; i < st->ndelsections; i++)
		conf_edit_new(ed, CONF_EDIT_DELETE_SECTION,
		    st->delsections[i]);
	for (i = 0; i < st->ndellines; i++)
		conf_edit_new(ed, CONF_EDIT_DELETE, st->dellines[i]);
	for (i = 0; i < st->nacc; i++)
		if (st->acc[i]->renamed)
			conf_edit_new(ed, CONF_EDIT_RENAME_SECTION,
			    st->acc[i]->line)->sub = st->acc[i]->name;
	conf_edits_opts(ed, st->global, "general", NULL, false);
	conf_edits_opts(ed, st->global, "ui", NULL, false);
	conf_edits_opts(ed, st->global, "colors", NULL, false);
	for (i = 0; i < st->nacc; i++)
		conf_edits_opts(ed, st->acc[i]->opts, "account",
		    st->acc[i]->name, st->acc[i]->line == 0);
	for (i = 0; i < st->nkeys; i++) {
		k = &st->keys[i];
		if (k->origin != OPT_ORIGIN_SET)
			continue;
		e = conf_edit_new(ed, k->line > 0 ? CONF_EDIT_REPLACE :
		    CONF_EDIT_APPEND, k->line);
		e->value = k->action;
		if (k->line == 0) {
			e->section = conf_names_add(names,
			    xasprintf("keys.%s", k->screen));
			e->name = k->key;
		}
	}
}

/* A file that holds a password is written for its owner only. */
static bool
conf_state_has_password(const struct conf_state *st)
{
	size_t	 i;

	for (i = 0; i < st->nacc; i++)
		if (opt_is_set(st->acc[i]->opts, OPT_ACCOUNT_PASSWORD))
			return true;
	return false;
}

/* 1 if the file differs from what was last read or written, 0 if not. */
static int
conf_disk_differs(const struct conf *c, struct err *e)
{
	struct buf	 now = BUF_INIT;
	mode_t		 mode;
	int		 r, differs;

	if ((r = conf_file_read(c->path, &now, &mode, e)) == -1) {
		buf_fini(&now);
		return -1;
	}
	/* buf_str(): an empty file leaves data NULL, which memcmp may not see */
	differs = (r == 1) == c->exists || (r == 0 && (now.len != c->text.len ||
	    memcmp(buf_str(&now), buf_str(&c->text), now.len) != 0));
	buf_fini_secret(&now);
	return differs;
}

bool
conf_changed_on_disk(const struct conf *c)
{
	struct err	 e;

	return c->path != NULL && conf_disk_differs(c, &e) == 1;
}

enum conf_save_status
conf_save(struct conf *c, struct err *e)
{
	struct buf		 out = BUF_INIT;
	struct conf_edits	 ed = { NULL, 0 };
	struct conf_names	 names = { NULL, 0 };
	struct conf_state	 st;
	struct conf_msgs	 msgs;
	size_t			 i;
	int			 r;

	if (c->path == NULL) {
		err_set(e, ERR_INPUT, "no configuration file to save to");
		return CONF_SAVE_ERROR;
	}
	if ((r = conf_disk_differs(c, e)) == -1)
		return CONF_SAVE_ERROR;
	if (r == 1) {
		err_set(e, ERR_LOCAL, "%s changed since it was read", c->path);
		return CONF_SAVE_CONFLICT;
	}
	if (!c->dirty)
		return CONF_SAVE_OK;
	conf_edits_build(c, &ed, &names);
	conf_write_text(c->text.data != NULL ? c->text.data : "", c->text.len,
	    ed.v, ed.n, &out);
	free(ed.v);
	conf_names_fini(&names);
	/*
	 * Read the new text back before writing it: a run-time change can
	 * still leave the whole inconsistent (an added account without a
	 * host), and a file pons would refuse must never reach the disk.
	 */
	conf_state_init(&st);
	conf_msgs_init(&msgs);
	if (conf_state_load(c, &st, c->path, buf_str(&out), out.len,
	    &msgs) > 0) {
		for (i = 0; i < msgs.n && msgs.v[i].warning; i++)
			;
		err_set(e, ERR_INPUT, "not saved: %s", i < msgs.n ?
		    msgs.v[i].text : "the new file does not read back");
		conf_state_fini(&st);
		conf_msgs_fini(&msgs);
		buf_fini_secret(&out);
		return CONF_SAVE_ERROR;
	}
	if (conf_file_write(c->path, out.data != NULL ? out.data : "",
	    out.len, conf_state_has_password(&st), e) == -1) {
		conf_state_fini(&st);
		conf_msgs_fini(&msgs);
		buf_fini_secret(&out);
		return CONF_SAVE_ERROR;
	}
	/* The conf now mirrors the file written: new line numbers. */
	conf_msgs_fini(&msgs);
	conf_ops_replay(c, &st, false);
	conf_replace_state(c, &st);
	conf_ops_clear(c, true);
	buf_fini_secret(&c->text);
	c->text = out;
	c->exists = true;
	c->dirty = false;
	return CONF_SAVE_OK;
}

/* Reloading. */

void
conf_changes_fini(struct conf_changes *ch)
{
	size_t	 i;

	for (i = 0; i < ch->n; i++)
		free(ch->v[i].account);
	free(ch->v);
	for (i = 0; i < ch->nadded; i++)
		free(ch->accounts_added[i]);
	free(ch->accounts_added);
	for (i = 0; i < ch->nremoved; i++)
		free(ch->accounts_removed[i]);
	free(ch->accounts_removed);
	memset(ch, 0, sizeof *ch);
}

static void
conf_change_add(struct conf_changes *ch, const char *account, enum opt_id id)
{
	ch->v = xreallocarray(ch->v, ch->n + 1, sizeof *ch->v);
	ch->v[ch->n].account = account != NULL ? xstrdup(account) : NULL;
	ch->v[ch->n].id = id;
	ch->v[ch->n].reconnect = (opt_defs[id].flags & OPT_F_RECONNECT) != 0;
	ch->n++;
}

static void
conf_name_add(char ***v, size_t *n, const char *name)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(name);
}

static bool
conf_keys_same(const struct conf_state *a, const struct conf_state *b)
{
	const struct conf_key	*k;
	size_t			 i;

	if (a->nkeys != b->nkeys)
		return false;
	for (i = 0; i < a->nkeys; i++) {
		k = conf_state_key(b, a->keys[i].screen, a->keys[i].key);
		if (k == NULL || strcmp(k->action, a->keys[i].action) != 0)
			return false;
	}
	return true;
}

static void
conf_diff(const struct conf_state *old, const struct conf_state *new,
    struct conf_changes *ch)
{
	struct conf_account	*a, *b;
	size_t			 i, j;

	for (i = 0; i < OPT_COUNT; i++)
		if (opt_defs[i].section != OPT_SEC_ACCOUNT &&
		    opt_differs(old->global, new->global, (enum opt_id)i))
			conf_change_add(ch, NULL, (enum opt_id)i);
	for (i = 0; i < new->nacc; i++) {
		b = new->acc[i];
		if ((a = conf_state_account(old, b->name)) == NULL) {
			conf_name_add(&ch->accounts_added, &ch->nadded,
			    b->name);
			continue;
		}
		for (j = 0; j < OPT_COUNT; j++)
			if (opt_defs[j].section == OPT_SEC_ACCOUNT &&
			    opt_differs(a->opts, b->opts, (enum opt_id)j))
				conf_change_add(ch, b->name, (enum opt_id)j);
	}
	for (i = 0; i < old->nacc; i++)
		if (conf_state_account(new, old->acc[i]->name) == NULL)
			conf_name_add(&ch->accounts_removed, &ch->nremoved,
			    old->acc[i]->name);
	ch->keys_changed = !conf_keys_same(old, new);
}

void
conf_compare(const struct conf *old, const struct conf *new,
    struct conf_changes *ch)
{
	memset(ch, 0, sizeof *ch);
	conf_diff(&old->st, &new->st, ch);
}

int
conf_reload(struct conf *c, struct conf_changes *ch, struct conf_msgs *msgs)
{
	struct buf		 text = BUF_INIT;
	struct conf_state	 st;
	struct err		 e;
	mode_t			 mode = 0600;
	int			 r;

	memset(ch, 0, sizeof *ch);
	if (c->path == NULL)
		return 0;
	r = conf_file_read(c->path, &text, &mode, &e);
	if (r == 1 && c->exists) {
		/* Gone: keep what we have rather than drop every account. */
		conf_msg_add(msgs, c->path, 0, false, "no such file");
		buf_fini(&text);
		return -1;
	}
	if (r == -1) {
		conf_msg_add(msgs, c->path, 0, false, "%s",
		    conf_err_text(&e, c->path));
		buf_fini(&text);
		return -1;
	}
	conf_state_init(&st);
	if (conf_state_load(c, &st, c->path, buf_str(&text), text.len,
	    msgs) > 0) {
		conf_state_fini(&st);
		buf_fini_secret(&text);
		return -1;
	}
	conf_check_mode(&st, c->path, mode, msgs);
	conf_ops_replay(c, &st, true);
	conf_diff(&c->st, &st, ch);
	conf_replace_state(c, &st);
	buf_fini_secret(&c->text);
	c->text = text;
	c->exists = r == 0;
	return 0;
}
