/* SPDX-License-Identifier: ISC */
/*
 * The configuration as a whole: its state, loading a file through the
 * pure lexer (conf-parse.c) into typed options, accounts and key bindings
 * with every error collected as FILE:LINE, and the read accessors.
 * Run-time changes are in conf-change.c, saving and reloading in
 * conf-save.c, --dump-config in conf-dump.c.  Nothing here prints.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf-parse.h"
#include "config/conf.h"
#include "config/options.h"
#include "conf-private.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

void
conf_msgs_init(struct conf_msgs *m)
{
	memset(m, 0, sizeof *m);
}

void
conf_msgs_fini(struct conf_msgs *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].text);
	free(m->v);
	memset(m, 0, sizeof *m);
}

void __attribute__((format(printf, 5, 6)))
conf_msg_add(struct conf_msgs *m, const char *file, unsigned int line,
    bool warning, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (m == NULL)
		return;
	if (line > 0)
		buf_printf(&b, "%s:%u: ", file, line);
	else
		buf_printf(&b, "%s: ", file);
	if (warning)
		buf_add_str(&b, "warning: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 8 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].text = buf_take(&b, NULL);
	m->v[m->n].line = line;
	m->v[m->n].warning = warning;
	m->n++;
	if (!warning)
		m->nerrors++;
}

/* e's message without the "FILE: " it starts with, if it does. */
const char *
conf_err_text(const struct err *e, const char *file)
{
	size_t	 n = strlen(file);

	if (strncmp(e->msg, file, n) == 0 && e->msg[n] == ':' &&
	    e->msg[n + 1] == ' ')
		return e->msg + n + 2;
	return e->msg;
}

void
conf_uint_add(unsigned int **v, size_t *n, unsigned int x)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = x;
}

void
conf_state_init(struct conf_state *st)
{
	memset(st, 0, sizeof *st);
	st->global = opts_new(false);
}

void
conf_account_free(struct conf_account *a)
{
	free(a->name);
	opts_free(a->opts);
	free(a);
}

void
conf_key_fini(struct conf_key *k)
{
	free(k->screen);
	free(k->key);
	free(k->action);
}

void
conf_state_fini(struct conf_state *st)
{
	size_t	 i;

	opts_free(st->global);
	for (i = 0; i < st->nacc; i++)
		conf_account_free(st->acc[i]);
	free(st->acc);
	for (i = 0; i < st->nkeys; i++)
		conf_key_fini(&st->keys[i]);
	free(st->keys);
	free(st->dellines);
	free(st->delsections);
	memset(st, 0, sizeof *st);
}

struct conf_account *
conf_state_account(const struct conf_state *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < st->nacc; i++)
		if (strcmp(st->acc[i]->name, name) == 0)
			return st->acc[i];
	return NULL;
}

struct conf_account *
conf_state_account_new(struct conf_state *st, const char *name,
    unsigned int line)
{
	struct conf_account	*a;

	a = xcalloc(1, sizeof *a);
	a->name = xstrdup(name);
	a->opts = opts_new(true);
	a->line = line;
	st->acc = xreallocarray(st->acc, st->nacc + 1, sizeof *st->acc);
	st->acc[st->nacc++] = a;
	return a;
}

struct conf_key *
conf_state_key(const struct conf_state *st, const char *screen,
    const char *key)
{
	size_t	 i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].screen, screen) == 0 &&
		    strcmp(st->keys[i].key, key) == 0)
			return &st->keys[i];
	return NULL;
}

void
conf_state_key_add(struct conf_state *st, const char *screen,
    const char *key, const char *action, enum opt_origin origin,
    unsigned int line)
{
	struct conf_key	*k;

	st->keys = xreallocarray(st->keys, st->nkeys + 1, sizeof *st->keys);
	k = &st->keys[st->nkeys++];
	k->screen = xstrdup(screen);
	k->key = xstrdup(key);
	k->action = xstrdup(action);
	k->origin = origin;
	k->line = line;
}

struct conf *
conf_new(void)
{
	struct conf	*c;

	c = xcalloc(1, sizeof *c);
	conf_state_init(&c->st);
	buf_init(&c->text);
	return c;
}

void
conf_ops_clear(struct conf *c, bool keep_cmdline)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->nops; i++) {
		if (keep_cmdline && c->ops[i].kind == CONF_OP_CMDLINE) {
			c->ops[n++] = c->ops[i];
			continue;
		}
		free(c->ops[i].account);
		if (c->ops[i].text != NULL)
			explicit_bzero(c->ops[i].text, strlen(c->ops[i].text));
		free(c->ops[i].text);
		free(c->ops[i].screen);
		free(c->ops[i].key);
	}
	c->nops = n;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	conf_state_fini(&c->st);
	conf_ops_clear(c, false);
	free(c->ops);
	free(c->path);
	buf_fini_secret(&c->text);
	free(c);
}

void
conf_set_key_check(struct conf *c, conf_key_check_cb cb, void *arg)
{
	c->kcb = cb;
	c->karg = arg;
}

const char *
conf_path(const struct conf *c)
{
	return c->path;
}

void
conf_set_path(struct conf *c, const char *path)
{
	free(c->path);
	c->path = xstrdup(path);
}

const struct opts *
conf_opts(const struct conf *c)
{
	return c->st.global;
}

bool
conf_is_ident(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Account names become directory names (the spool): keep them tame. */
int
conf_check_account_name(const char *name, struct err *e)
{
	const char	*p;

	if (*name == '\0')
		return err_set(e, ERR_INPUT, "an account name cannot be empty");
	if (*name == '.' || strchr(name, '/') != NULL)
		return err_set(e, ERR_INPUT, "account \"%s\": a name cannot "
		    "contain / or start with a dot", name);
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INPUT, "account name with a "
			    "control character");
	return 0;
}

int
conf_check_action(const struct conf *c, const char *screen,
    const char *action, struct err *e)
{
	const char	*p;

	/* Whatever the UI accepts, it must fit on one line of the file. */
	for (p = action; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INPUT, "an action name cannot "
			    "hold a control character");
	if (action != NULL && (*action == ' ' || *action == '\0' ||
	    action[strlen(action) - 1] == ' '))
		return err_set(e, ERR_INPUT, "\"%s\" is not an action name",
		    action);
	if (c->kcb != NULL)
		return c->kcb(c->karg, screen, action, e);
	if (action != NULL && !conf_is_ident(action))
		return err_set(e, ERR_INPUT, "\"%s\" is not an action name",
		    action);
	return 0;
}

/* Loading: the lexer's items checked against the table. */

enum conf_cur { CUR_NONE, CUR_SKIP, CUR_OPTS, CUR_KEYS };

struct conf_loader {
	const struct conf	*c;
	struct conf_state	*st;
	const char		*file;
	struct conf_msgs	*msgs;
	enum conf_cur		 cur;
	enum opt_section	 sec;
	struct opts		*opts;		/* target of CUR_OPTS */
	struct opts		*scratch;	/* for a duplicate account */
	char			*screen;	/* CUR_KEYS */
	unsigned int		 default_line;	/* of default_account */
};

static const char *const conf_sections[] = {
	"general", "ui", "colors", "account", "keys.index", "keys.pager",
	NULL
};

static void
conf_load_section(struct conf_loader *L, const struct conf_item *it)
{
	struct conf_account	*a;
	struct err		 e;
	const char		*best = NULL, *s = it->section;
	size_t			 i, d, bestd = SIZE_MAX;

	L->cur = CUR_SKIP;
	free(L->screen);
	L->screen = NULL;
	if (strncmp(s, "x-", 2) == 0)
		return;		/* reserved for other programs and people */
	for (i = 0; i < OPT_SEC_COUNT; i++) {
		if (strcmp(s, opt_section_name((enum opt_section)i)) != 0)
			continue;
		L->sec = (enum opt_section)i;
		if (L->sec != OPT_SEC_ACCOUNT) {
			if (it->sub != NULL)
				conf_msg_add(L->msgs, L->file, it->line, false,
				    "[%s] takes no name", s);
			L->cur = CUR_OPTS;
			L->opts = L->st->global;
			return;
		}
		if (it->sub == NULL) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "an account section needs a name: "
			    "[account \"NAME\"]");
			return;
		}
		L->cur = CUR_OPTS;
		if (conf_check_account_name(it->sub, &e) == -1) {
			conf_msg_add(L->msgs, L->file, it->line, false, "%s",
			    e.msg);
			a = NULL;
		} else if ((a = conf_state_account(L->st, it->sub)) != NULL) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "duplicate account \"%s\" (first at line %u)",
			    it->sub, a->line);
			a = NULL;
		} else
			a = conf_state_account_new(L->st, it->sub, it->line);
		if (a != NULL)
			L->opts = a->opts;
		else {
			/* Check its options anyway, into a scratch set. */
			opts_free(L->scratch);
			L->scratch = opts_new(true);
			L->opts = L->scratch;
		}
		return;
	}
	if (strncmp(s, "keys.", 5) == 0) {
		if (it->sub != NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "[%s] takes no name", s);
		if (!conf_is_ident(s + 5)) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown screen \"%s\" in [%s]", s + 5, s);
			return;
		}
		if (conf_check_action(L->c, s + 5, NULL, &e) == -1) {
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "[%s]: %s", s, e.msg);
			return;
		}
		L->cur = CUR_KEYS;
		L->screen = xstrdup(s + 5);
		return;
	}
	if (strcmp(s, "keys") == 0) {
		conf_msg_add(L->msgs, L->file, it->line, false, "key bindings "
		    "go in [keys.SCREEN], for example [keys.index]");
		return;
	}
	for (i = 0; conf_sections[i] != NULL; i++) {
		d = opt_distance(s, conf_sections[i]);
		if (d < bestd) {
			bestd = d;
			best = conf_sections[i];
		}
	}
	if (bestd <= 2)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "unknown section [%s]; did you mean [%s]?", s, best);
	else
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "unknown section [%s]", s);
}

static void
conf_load_option(struct conf_loader *L, const struct conf_item *it)
{
	const char	*sug, *secname = opt_section_name(L->sec);
	enum opt_id	 id;
	bool		 renamed;
	struct err	 e;

	if (opt_find(L->sec, it->name, &id, &renamed) == -1) {
		if ((sug = opt_suggest(L->sec, it->name)) != NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown option \"%s\" in [%s]; did you mean "
			    "\"%s\"?", it->name, secname, sug);
		else
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "unknown option \"%s\" in [%s]", it->name,
			    secname);
		return;
	}
	if (renamed)
		conf_msg_add(L->msgs, L->file, it->line, true,
		    "\"%s\" is now called \"%s\"; please rename it",
		    it->name, opt_defs[id].name);
	if (opt_origin(L->opts, id) == OPT_ORIGIN_FILE) {
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "\"%s\" is already set at line %u", opt_defs[id].name,
		    opt_origin_line(L->opts, id));
		return;
	}
	if (opt_set(L->opts, id, it->value, OPT_ORIGIN_FILE, L->file,
	    it->line, &e) == -1) {
		conf_msg_add(L->msgs, L->file, it->line, false, "%s", e.msg);
		return;
	}
	if (id == OPT_GENERAL_DEFAULT_ACCOUNT)
		L->default_line = it->line;
}

static void
conf_load_key(struct conf_loader *L, const struct conf_item *it)
{
	struct conf_keyspec	 ks;
	struct conf_key		*k;
	struct buf		 norm = BUF_INIT;
	struct err		 e;

	if (conf_key_parse(it->name, &ks, &norm, &e) == -1)
		conf_msg_add(L->msgs, L->file, it->line, false, "%s", e.msg);
	else if (*it->value == '\0')
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\" has no action", it->name);
	else if (conf_check_action(L->c, L->screen, it->value, &e) == -1)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\": %s", it->name, e.msg);
	else if ((k = conf_state_key(L->st, L->screen, buf_str(&norm))) !=
	    NULL)
		conf_msg_add(L->msgs, L->file, it->line, false,
		    "key \"%s\" is already bound at line %u", it->name,
		    k->line);
	else
		conf_state_key_add(L->st, L->screen, buf_str(&norm),
		    it->value, OPT_ORIGIN_FILE, it->line);
	buf_fini(&norm);
}

static int
conf_load_item(void *arg, const struct conf_item *it)
{
	struct conf_loader	*L = arg;

	switch (it->kind) {
	case CONF_ITEM_ERROR:
		conf_msg_add(L->msgs, L->file, it->line, false, "%s",
		    it->message);
		break;
	case CONF_ITEM_SECTION:
		if (*it->section == '\0')
			L->cur = CUR_SKIP;
		else
			conf_load_section(L, it);
		break;
	case CONF_ITEM_PAIR:
		if (it->section == NULL)
			conf_msg_add(L->msgs, L->file, it->line, false,
			    "\"%s\" is outside any section; options go under "
			    "[general], [ui], [colors] or [account \"NAME\"]",
			    it->name);
		else if (*it->section == '\0' || L->cur == CUR_SKIP ||
		    L->cur == CUR_NONE || strncmp(it->name, "x-", 2) == 0)
			break;
		else if (L->cur == CUR_OPTS)
			conf_load_option(L, it);
		else
			conf_load_key(L, it);
		break;
	}
	return 0;
}

/* Checks that need the whole file. */
static void
conf_load_finish(struct conf_loader *L)
{
	struct conf_account	*a;
	const char		*def;
	size_t			 i, j;
	int			 proto, flag;

	for (i = 0; i < L->st->nacc; i++) {
		a = L->st->acc[i];
		if (!opt_is_set(a->opts, OPT_ACCOUNT_PROTOCOL))
			conf_msg_add(L->msgs, L->file, a->line, false,
			    "account \"%s\": missing protocol (imap or pop3)",
			    a->name);
		if (!opt_is_set(a->opts, OPT_ACCOUNT_HOST))
			conf_msg_add(L->msgs, L->file, a->line, false,
			    "account \"%s\": missing host", a->name);
		proto = opt_enum(a->opts, OPT_ACCOUNT_PROTOCOL);
		if (proto == -1)
			continue;
		flag = proto == OPT_PROTO_IMAP ? OPT_F_POP3 : OPT_F_IMAP;
		for (j = 0; j < OPT_COUNT; j++) {
			if ((opt_defs[j].flags & flag) == 0 ||
			    opt_origin(a->opts, (enum opt_id)j) !=
			    OPT_ORIGIN_FILE)
				continue;
			conf_msg_add(L->msgs, L->file,
			    opt_origin_line(a->opts, (enum opt_id)j), true,
			    "\"%s\" applies to %s accounts only; account "
			    "\"%s\" uses %s", opt_defs[j].name,
			    flag == OPT_F_POP3 ? "POP3" : "IMAP", a->name,
			    proto == OPT_PROTO_IMAP ? "IMAP" : "POP3");
		}
	}
	def = opt_str(L->st->global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def != NULL && conf_state_account(L->st, def) == NULL)
		conf_msg_add(L->msgs, L->file, L->default_line, false,
		    "default_account: there is no account \"%s\"", def);
}

/* Parse text into a fresh state; returns the number of errors. */
size_t
conf_state_load(const struct conf *c, struct conf_state *st,
    const char *file, const char *text, size_t len, struct conf_msgs *msgs)
{
	struct conf_loader	 L;
	struct conf_msgs	 local;
	size_t			 n, n0, i, j;
	struct conf_msg		 m;

	if (msgs == NULL) {
		conf_msgs_init(&local);
		msgs = &local;
	}
	n = msgs->nerrors;
	n0 = msgs->n;
	memset(&L, 0, sizeof L);
	L.c = c;
	L.st = st;
	L.file = file;
	L.msgs = msgs;
	L.cur = CUR_NONE;
	conf_parse(text, len, conf_load_item, &L);
	conf_load_finish(&L);
	opts_free(L.scratch);
	free(L.screen);
	n = msgs->nerrors - n;
	/* Whole-file checks come last; show everything in line order. */
	for (i = n0 + 1; i < msgs->n; i++) {
		m = msgs->v[i];
		for (j = i; j > n0 && msgs->v[j - 1].line > m.line; j--)
			msgs->v[j] = msgs->v[j - 1];
		msgs->v[j] = m;
	}
	if (msgs == &local)
		conf_msgs_fini(&local);
	return n;
}

void
conf_replace_state(struct conf *c, struct conf_state *st)
{
	conf_state_fini(&c->st);
	c->st = *st;
}

int
conf_load_text(struct conf *c, const char *file, const char *text,
    size_t len, struct conf_msgs *msgs)
{
	struct conf_state	 st;

	conf_state_init(&st);
	if (conf_state_load(c, &st, file, text, len, msgs) > 0) {
		conf_state_fini(&st);
		conf_state_init(&st);
		conf_replace_state(c, &st);
		return -1;
	}
	conf_replace_state(c, &st);
	conf_ops_clear(c, false);
	c->dirty = false;
	return 0;
}

/* A password in a file others can read: say so, once per line. */
void
conf_check_mode(const struct conf_state *st, const char *file, mode_t mode,
    struct conf_msgs *msgs)
{
	size_t	 i;

	if ((mode & 077) == 0)
		return;
	for (i = 0; i < st->nacc; i++)
		if (opt_origin(st->acc[i]->opts, OPT_ACCOUNT_PASSWORD) ==
		    OPT_ORIGIN_FILE)
			conf_msg_add(msgs, file, opt_origin_line(
			    st->acc[i]->opts, OPT_ACCOUNT_PASSWORD), true,
			    "account \"%s\": a password is set but the file "
			    "can be read by others (mode %03o); run chmod 600 "
			    "%s or use password_command", st->acc[i]->name,
			    (unsigned int)(mode & 0777), file);
}

int
conf_load(struct conf *c, const char *path, int flags,
    struct conf_msgs *msgs)
{
	struct buf	 text = BUF_INIT;
	struct err	 e;
	mode_t		 mode = 0600;
	int		 r;

	r = conf_file_read(path, &text, &mode, &e);
	if (r == -1 || (r == 1 && (flags & CONF_LOAD_MISSING_OK) == 0)) {
		if (r == 1)
			conf_msg_add(msgs, path, 0, false, "no such file");
		else
			conf_msg_add(msgs, path, 0, false, "%s", conf_err_text(&e, path));
		buf_fini(&text);
		return -1;
	}
	if (conf_load_text(c, path, buf_str(&text), text.len, msgs) == -1) {
		buf_fini_secret(&text);
		return -1;
	}
	conf_check_mode(&c->st, path, mode, msgs);
	free(c->path);
	c->path = xstrdup(path);
	buf_fini_secret(&c->text);
	c->text = text;
	c->exists = r == 0;
	return 0;
}


/* Accounts and options. */

size_t
conf_account_count(const struct conf *c)
{
	return c->st.nacc;
}

struct conf_account *
conf_account_at(const struct conf *c, size_t i)
{
	return i < c->st.nacc ? c->st.acc[i] : NULL;
}

struct conf_account *
conf_account_find(const struct conf *c, const char *name)
{
	return conf_state_account(&c->st, name);
}

struct conf_account *
conf_account_default(const struct conf *c)
{
	const char	*def;

	def = opt_str(c->st.global, OPT_GENERAL_DEFAULT_ACCOUNT);
	if (def != NULL)
		return conf_state_account(&c->st, def);
	return c->st.nacc > 0 ? c->st.acc[0] : NULL;
}

const char *
conf_account_name(const struct conf_account *a)
{
	return a->name;
}

const struct opts *
conf_account_opts(const struct conf_account *a)
{
	return a->opts;
}

int
conf_account_port(const struct conf_account *a)
{
	bool	 implicit;

	if (opt_is_set(a->opts, OPT_ACCOUNT_PORT))
		return (int)opt_int(a->opts, OPT_ACCOUNT_PORT);
	implicit = opt_enum(a->opts, OPT_ACCOUNT_TLS) == OPT_TLS_IMPLICIT;
	if (opt_enum(a->opts, OPT_ACCOUNT_PROTOCOL) == OPT_PROTO_POP3)
		return implicit ? 995 : 110;
	return implicit ? 993 : 143;
}

static const char *
conf_home(void)
{
	const char	*home = getenv("HOME");

	return home != NULL && *home == '/' ? home : "/";
}

/* $VAR if set to an absolute path, else $HOME/fallback. Owned. */
static char *
conf_xdg(const char *var, const char *fallback)
{
	const char	*v = getenv(var);

	if (v != NULL && *v == '/')
		return xstrdup(v);
	return xasprintf("%s/%s", conf_home(), fallback);
}

char *
conf_expand_path(const char *p)
{
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0'))
		return xasprintf("%s%s", conf_home(), p + 1);
	return xstrdup(p);
}

char *
conf_default_path(void)
{
	char	*base, *p;

	base = conf_xdg("XDG_CONFIG_HOME", ".config");
	p = xasprintf("%s/pons/config", base);
	free(base);
	return p;
}

char *
conf_account_spool(const struct conf_account *a)
{
	const char	*s = opt_str(a->opts, OPT_ACCOUNT_SPOOL);
	char		*base, *p;

	if (s != NULL)
		return conf_expand_path(s);
	base = conf_xdg("XDG_DATA_HOME", ".local/share");
	p = xasprintf("%s/pons/%s", base, a->name);
	free(base);
	return p;
}

char *
conf_cache_dir(void)
{
	char	*base, *p;

	base = conf_xdg("XDG_CACHE_HOME", ".cache");
	p = xasprintf("%s/pons", base);
	free(base);
	return p;
}

size_t
conf_key_count(const struct conf *c)
{
	return c->st.nkeys;
}

const struct conf_key *
conf_key_at(const struct conf *c, size_t i)
{
	return i < c->st.nkeys ? &c->st.keys[i] : NULL;
}

const struct conf_key *
conf_key_find(const struct conf *c, const char *screen, const char *key)
{
	struct conf_keyspec	 ks;
	struct buf		 norm = BUF_INIT;
	struct err		 e;
	const struct conf_key	*k = NULL;

	if (conf_key_parse(key, &ks, &norm, &e) == 0)
		k = conf_state_key(&c->st, screen, buf_str(&norm));
	buf_fini(&norm);
	return k;
}
