/* SPDX-License-Identifier: ISC */
/*
 * Run-time changes (the settings screen, the command line): each is
 * applied to the state and logged, so that a reload can re-apply it on
 * top of a file edited by someone else.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/err.h"
#include "util/xmalloc.h"

static struct opts *
conf_target(struct conf_state *st, const char *account, enum opt_id id,
    struct err *e)
{
	struct conf_account	*a;

	if (opt_defs[id].section != OPT_SEC_ACCOUNT) {
		if (account != NULL) {
			err_set(e, ERR_INPUT, "%s is not an account option",
			    opt_defs[id].name);
			return NULL;
		}
		return st->global;
	}
	if (account == NULL) {
		err_set(e, ERR_INPUT, "%s is an account option",
		    opt_defs[id].name);
		return NULL;
	}
	if ((a = conf_state_account(st, account)) == NULL) {
		err_set(e, ERR_INPUT, "no account \"%s\"", account);
		return NULL;
	}
	return a->opts;
}

int
conf_state_set(struct conf_state *st, const char *account, enum opt_id id,
    const char *text, enum opt_origin origin, struct err *e)
{
	struct opts	*o;

	if ((o = conf_target(st, account, id, e)) == NULL)
		return -1;
	/* Keep the file line: that is the line the writer will change. */
	return opt_set(o, id, text, origin, opt_origin_file(o, id),
	    opt_origin_line(o, id), e);
}

void
conf_state_unset(struct conf_state *st, const char *account, enum opt_id id)
{
	struct opts	*o;
	struct err	 e;

	if ((o = conf_target(st, account, id, &e)) == NULL)
		return;
	if (opt_origin_line(o, id) > 0)
		conf_uint_add(&st->dellines, &st->ndellines,
		    opt_origin_line(o, id));
	opt_reset(o, id);
}

/* default_account names an account renamed to "to" or removed (NULL). */
static void
conf_default_follow(struct conf_state *st, const char *from, const char *to)
{
	const char	*def;
	struct err	 e;

	def = opt_str(st->global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def == NULL || strcmp(def, from) != 0)
		return;
	if (to != NULL)
		(void)conf_state_set(st, NULL, OPT_GENERAL_DEFAULT_ACCOUNT, to,
		    OPT_ORIGIN_SET, &e);
	else
		conf_state_unset(st, NULL, OPT_GENERAL_DEFAULT_ACCOUNT);
}

static void
conf_state_acc_remove(struct conf_state *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < st->nacc; i++) {
		if (strcmp(st->acc[i]->name, name) != 0)
			continue;
		if (st->acc[i]->line > 0)
			conf_uint_add(&st->delsections, &st->ndelsections,
			    st->acc[i]->line);
		conf_default_follow(st, name, NULL);
		conf_account_free(st->acc[i]);
		memmove(&st->acc[i], &st->acc[i + 1],
		    (st->nacc - i - 1) * sizeof *st->acc);
		st->nacc--;
		return;
	}
}

static int
conf_state_bind(const struct conf *c, struct conf_state *st,
    const char *screen, const char *key, const char *action, struct err *e)
{
	struct conf_keyspec	 ks;
	struct conf_key		*k;
	struct buf		 norm = BUF_INIT;
	size_t			 i;

	if (!conf_is_ident(screen) ||
	    conf_check_action(c, screen, NULL, e) == -1)
		return err_set(e, ERR_INPUT, "unknown screen \"%s\"", screen);
	if (conf_key_parse(key, &ks, &norm, e) == -1 ||
	    (action != NULL && conf_check_action(c, screen, action, e) == -1)) {
		buf_fini(&norm);
		return -1;
	}
	k = conf_state_key(st, screen, buf_str(&norm));
	if (action == NULL && k != NULL) {
		if (k->line > 0)
			conf_uint_add(&st->dellines, &st->ndellines, k->line);
		i = (size_t)(k - st->keys);
		conf_key_fini(k);
		memmove(k, k + 1, (st->nkeys - i - 1) * sizeof *k);
		st->nkeys--;
	} else if (action != NULL && k != NULL) {
		free(k->action);
		k->action = xstrdup(action);
		k->origin = OPT_ORIGIN_SET;
	} else if (action != NULL)
		conf_state_key_add(st, screen, buf_str(&norm), action,
		    OPT_ORIGIN_SET, 0);
	buf_fini(&norm);
	return 0;
}

static void
conf_op_add(struct conf *c, enum conf_op_kind kind, const char *account,
    enum opt_id id, const char *text, const char *screen, const char *key)
{
	struct conf_op	*op;

	c->ops = xreallocarray(c->ops, c->nops + 1, sizeof *c->ops);
	op = &c->ops[c->nops++];
	op->kind = kind;
	op->account = account != NULL ? xstrdup(account) : NULL;
	op->id = id;
	op->text = text != NULL ? xstrdup(text) : NULL;
	op->screen = screen != NULL ? xstrdup(screen) : NULL;
	op->key = key != NULL ? xstrdup(key) : NULL;
	if (kind != CONF_OP_CMDLINE)
		c->dirty = true;
}

int
conf_set(struct conf *c, struct conf_account *a, enum opt_id id,
    const char *text, struct err *e)
{
	const char	*name = a != NULL ? a->name : NULL;

	if (conf_state_set(&c->st, name, id, text, OPT_ORIGIN_SET, e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_SET, name, id, text, NULL, NULL);
	return 0;
}

int
conf_set_cmdline(struct conf *c, struct conf_account *a, enum opt_id id,
    const char *text, struct err *e)
{
	const char	*name = a != NULL ? a->name : NULL;

	if (conf_state_set(&c->st, name, id, text, OPT_ORIGIN_CMDLINE,
	    e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_CMDLINE, name, id, text, NULL, NULL);
	return 0;
}

void
conf_unset(struct conf *c, struct conf_account *a, enum opt_id id)
{
	const char	*name = a != NULL ? a->name : NULL;

	conf_state_unset(&c->st, name, id);
	conf_op_add(c, CONF_OP_UNSET, name, id, NULL, NULL, NULL);
}

bool
conf_dirty(const struct conf *c)
{
	return c->dirty;
}

struct conf_account *
conf_account_add(struct conf *c, const char *name, struct err *e)
{
	struct conf_account	*a;

	if (conf_check_account_name(name, e) == -1)
		return NULL;
	if (conf_state_account(&c->st, name) != NULL) {
		err_set(e, ERR_INPUT, "there is already an account \"%s\"",
		    name);
		return NULL;
	}
	a = conf_state_account_new(&c->st, name, 0);
	conf_op_add(c, CONF_OP_ACC_ADD, name, 0, NULL, NULL, NULL);
	return a;
}

static int
conf_state_acc_rename(struct conf_state *st, const char *from,
    const char *to, struct err *e)
{
	struct conf_account	*a;

	if (conf_check_account_name(to, e) == -1)
		return -1;
	if ((a = conf_state_account(st, from)) == NULL)
		return err_set(e, ERR_INPUT, "no account \"%s\"", from);
	if (strcmp(from, to) == 0)
		return 0;
	if (conf_state_account(st, to) != NULL)
		return err_set(e, ERR_INPUT, "there is already an account "
		    "\"%s\"", to);
	conf_default_follow(st, from, to);
	free(a->name);
	a->name = xstrdup(to);
	a->renamed = a->line > 0;
	return 0;
}

int
conf_account_rename(struct conf *c, struct conf_account *a, const char *name,
    struct err *e)
{
	char	*from = xstrdup(a->name);
	int	 rv;

	if ((rv = conf_state_acc_rename(&c->st, from, name, e)) == 0)
		conf_op_add(c, CONF_OP_ACC_RENAME, from, 0, name, NULL, NULL);
	free(from);
	return rv;
}

void
conf_account_remove(struct conf *c, struct conf_account *a)
{
	char	*name = xstrdup(a->name);

	conf_state_acc_remove(&c->st, name);
	conf_op_add(c, CONF_OP_ACC_REMOVE, name, 0, NULL, NULL, NULL);
	free(name);
}

int
conf_key_bind(struct conf *c, const char *screen, const char *key,
    const char *action, struct err *e)
{
	if (conf_state_bind(c, &c->st, screen, key, action, e) == -1)
		return -1;
	conf_op_add(c, CONF_OP_KEY_BIND, NULL, 0, action, screen, key);
	return 0;
}

/* Re-apply run-time changes on a freshly read state; failures drop out. */
void
conf_ops_replay(const struct conf *c, struct conf_state *st, bool all)
{
	const struct conf_op	*op;
	struct err		 e;
	size_t			 i;

	for (i = 0; i < c->nops; i++) {
		op = &c->ops[i];
		if (!all && op->kind != CONF_OP_CMDLINE)
			continue;
		switch (op->kind) {
		case CONF_OP_SET:
		case CONF_OP_CMDLINE:
			(void)conf_state_set(st, op->account, op->id, op->text,
			    op->kind == CONF_OP_SET ? OPT_ORIGIN_SET :
			    OPT_ORIGIN_CMDLINE, &e);
			break;
		case CONF_OP_UNSET:
			conf_state_unset(st, op->account, op->id);
			break;
		case CONF_OP_ACC_ADD:
			if (conf_state_account(st, op->account) == NULL)
				conf_state_account_new(st, op->account, 0);
			break;
		case CONF_OP_ACC_REMOVE:
			conf_state_acc_remove(st, op->account);
			break;
		case CONF_OP_ACC_RENAME:
			(void)conf_state_acc_rename(st, op->account, op->text,
			    &e);
			break;
		case CONF_OP_KEY_BIND:
			(void)conf_state_bind(c, st, op->screen, op->key,
			    op->text, &e);
			break;
		}
	}
}
