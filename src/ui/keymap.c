/* SPDX-License-Identifier: ISC */
/*
 * Key maps and the action registry.  Tables decide: the action table,
 * the default bindings, the key names.  No drawing here.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include <curses.h>

#include "ui/keymap.h"
#include "util/xmalloc.h"

#define M(x)	(1U << KEYMAP_##x)
#define LISTS	(M(INDEX) | M(ATTACH) | M(HELP) | M(SETTINGS) | M(FOLDERS))
#define VIEWS	(M(INDEX) | M(PAGER) | M(ATTACH) | M(HELP) | M(SETTINGS) | \
	M(FOLDERS))
#define MSG	(M(INDEX) | M(PAGER))
#define FN(k)	(KEYMAP_FN | (k))
#define CTRL(c)	((c) & 0x1f)

const struct action_def action_defs[ACT_COUNT] = {
	[ACT_NONE] = { "none", "unbound", 0 },
	[ACT_NEXT_ENTRY] = { "next-entry", "move to the next entry", LISTS | M(PAGER) },
	[ACT_PREVIOUS_ENTRY] = { "previous-entry", "move to the previous entry", LISTS | M(PAGER) },
	[ACT_NEXT_PAGE] = { "next-page", "scroll down one page", VIEWS },
	[ACT_PREVIOUS_PAGE] = { "previous-page", "scroll up one page", VIEWS },
	[ACT_HALF_DOWN] = { "half-down", "scroll down half a page", VIEWS },
	[ACT_HALF_UP] = { "half-up", "scroll up half a page", VIEWS },
	[ACT_FIRST_ENTRY] = { "first-entry", "move to the first entry", LISTS },
	[ACT_LAST_ENTRY] = { "last-entry", "move to the last entry", LISTS },
	[ACT_NEXT_LINE] = { "next-line", "scroll down one line", M(PAGER) | M(HELP) },
	[ACT_PREVIOUS_LINE] = { "previous-line", "scroll up one line", M(PAGER) | M(HELP) },
	[ACT_TOP] = { "top", "jump to the top", M(PAGER) | M(HELP) },
	[ACT_BOTTOM] = { "bottom", "jump to the bottom", M(PAGER) | M(HELP) },
	[ACT_NEXT_UNDELETED] = { "next-undeleted", "show the next undeleted message", MSG },
	[ACT_PREVIOUS_UNDELETED] = { "previous-undeleted", "show the previous undeleted message", MSG },
	[ACT_DISPLAY_MESSAGE] = { "display-message", "read the message", M(INDEX) },
	[ACT_DELETE] = { "delete-message", "mark the message deleted", MSG },
	[ACT_UNDELETE] = { "undelete-message", "remove the deleted mark", MSG },
	[ACT_SYNC] = { "sync-mailbox", "expunge the messages marked deleted", M(INDEX) },
	[ACT_TOGGLE_NEW] = { "toggle-new", "toggle read/unread", MSG },
	[ACT_FLAG] = { "flag-message", "toggle the flag (important)", MSG },
	[ACT_SORT] = { "sort-mailbox", "choose the sort order or threads", M(INDEX) },
	[ACT_SORT_REVERSE] = { "sort-reverse", "reverse the sort order", M(INDEX) },
	[ACT_TOGGLE_THREADS] = { "toggle-threads", "show threads on or off", M(INDEX) },
	[ACT_LIMIT] = { "limit", "show only messages matching a pattern", M(INDEX) },
	[ACT_SEARCH] = { "search", "search forward (pattern or text)", MSG | M(HELP) | M(SETTINGS) | M(FOLDERS) },
	[ACT_SEARCH_NEXT] = { "search-next", "repeat the search", MSG | M(HELP) | M(SETTINGS) | M(FOLDERS) },
	[ACT_SEARCH_OPPOSITE] = { "search-opposite", "repeat the search backwards", MSG | M(HELP) | M(SETTINGS) | M(FOLDERS) },
	[ACT_TOGGLE_HEADERS] = { "toggle-headers", "show all headers or the usual few", M(PAGER) },
	[ACT_VIEW_ATTACHMENTS] = { "view-attachments", "list the message's parts", MSG },
	[ACT_CHANGE_FOLDER] = { "change-folder", "choose another folder or account", M(INDEX) },
	[ACT_SAVE_MESSAGE] = { "save-message", "move the message to a folder", MSG },
	[ACT_COPY_MESSAGE] = { "copy-message", "copy the message to a folder", MSG },
	[ACT_REPLY] = { "reply", "reply (reserved)", MSG },
	[ACT_GROUP_REPLY] = { "group-reply", "reply to all (reserved)", MSG },
	[ACT_FORWARD] = { "forward-message", "forward (reserved)", MSG },
	[ACT_MAIL] = { "mail", "write a message (reserved)", MSG },
	[ACT_FETCH_MAIL] = { "fetch-mail", "download new mail now (POP3)", M(INDEX) },
	[ACT_SAVE_ENTRY] = { "save-entry", "save the part to a file", M(ATTACH) },
	[ACT_PIPE_ENTRY] = { "pipe-entry", "pipe the part to a command", M(ATTACH) },
	[ACT_VIEW_MAILCAP] = { "view-mailcap", "open the part with its mailcap command", M(ATTACH) },
	[ACT_HELP] = { "help", "show the keys of this screen", VIEWS },
	[ACT_REDRAW] = { "redraw", "redraw the screen", VIEWS },
	[ACT_EXIT] = { "exit", "leave this screen", VIEWS },
	[ACT_QUIT] = { "quit", "leave pons", VIEWS },
	[ACT_SUSPEND] = { "suspend", "suspend pons (shell job control)", VIEWS },
	[ACT_EDIT_BOL] = { "bol", "to the start of the line", M(PROMPT) },
	[ACT_EDIT_EOL] = { "eol", "to the end of the line", M(PROMPT) },
	[ACT_EDIT_KILL_EOL] = { "kill-eol", "delete to the end of the line", M(PROMPT) },
	[ACT_EDIT_KILL_LINE] = { "kill-line", "delete to the start of the line", M(PROMPT) },
	[ACT_EDIT_KILL_WORD] = { "kill-word", "delete the word before the cursor", M(PROMPT) },
	[ACT_EDIT_BACKSPACE] = { "backspace", "delete the character before the cursor", M(PROMPT) },
	[ACT_EDIT_DELETE] = { "delete-char", "delete the character under the cursor", M(PROMPT) },
	[ACT_EDIT_LEFT] = { "backward-char", "cursor left", M(PROMPT) },
	[ACT_EDIT_RIGHT] = { "forward-char", "cursor right", M(PROMPT) },
	[ACT_EDIT_HISTORY_UP] = { "history-up", "previous entry of the history", M(PROMPT) },
	[ACT_EDIT_HISTORY_DOWN] = { "history-down", "next entry of the history", M(PROMPT) },
	[ACT_EDIT_COMPLETE] = { "complete", "complete a file or folder name", M(PROMPT) },
	[ACT_EDIT_ACCEPT] = { "accept", "accept the line", M(PROMPT) },
	[ACT_EDIT_CANCEL] = { "cancel", "cancel the prompt", M(PROMPT) },
	[ACT_SETTINGS] = { "settings", "open the settings screen", VIEWS },
	[ACT_EDIT_OPTION] = { "edit-option", "change the setting under the cursor", M(SETTINGS) },
	[ACT_RESET_OPTION] = { "reset-option", "set the setting back to its default", M(SETTINGS) },
	[ACT_SAVE_SETTINGS] = { "save-settings", "write the changes to the configuration file", M(SETTINGS) },
	[ACT_ACCOUNT_ADD] = { "add-account", "add an account", M(SETTINGS) },
	[ACT_ACCOUNT_RENAME] = { "rename-account", "rename the account under the cursor", M(SETTINGS) },
	[ACT_ACCOUNT_REMOVE] = { "remove-account", "remove the account under the cursor (its mail stays)", M(SETTINGS) },
	[ACT_RELOAD_CONFIG] = { "reload-config", "read the configuration file again and apply it", VIEWS & ~M(SETTINGS) },
	[ACT_OPEN_FOLDER] = { "open-folder", "open the folder (or account) under the cursor", M(FOLDERS) },
	[ACT_OPEN_MAILDIR] = { "open-maildir", "open a Maildir by its path", M(FOLDERS) },
	[ACT_REFRESH_FOLDERS] = { "refresh-folders", "ask for the folders and their counts now", M(FOLDERS) },
};

struct keymap_default {
	unsigned int	 maps;
	int		 key;
	enum action	 action;
};

/* Defaults a mutt user knows (mutt's OPS tables, in spirit). */
static const struct keymap_default keymap_defaults[] = {
	{ LISTS, 'j', ACT_NEXT_ENTRY },
	{ LISTS, FN(KEY_DOWN), ACT_NEXT_ENTRY },
	{ LISTS, 'k', ACT_PREVIOUS_ENTRY },
	{ LISTS, FN(KEY_UP), ACT_PREVIOUS_ENTRY },
	{ VIEWS, FN(KEY_NPAGE), ACT_NEXT_PAGE },
	{ VIEWS, FN(KEY_PPAGE), ACT_PREVIOUS_PAGE },
	{ M(INDEX) | M(ATTACH), FN(KEY_RIGHT), ACT_NEXT_PAGE },
	{ M(INDEX) | M(ATTACH), FN(KEY_LEFT), ACT_PREVIOUS_PAGE },
	{ M(PAGER) | M(HELP), ' ', ACT_NEXT_PAGE },
	{ M(PAGER) | M(HELP), '-', ACT_PREVIOUS_PAGE },
	{ VIEWS, CTRL('d'), ACT_HALF_DOWN },
	{ VIEWS, CTRL('u'), ACT_HALF_UP },
	{ LISTS, FN(KEY_HOME), ACT_FIRST_ENTRY },
	{ LISTS, '=', ACT_FIRST_ENTRY },
	{ LISTS, FN(KEY_END), ACT_LAST_ENTRY },
	{ LISTS, '*', ACT_LAST_ENTRY },
	{ M(PAGER) | M(HELP), '\r', ACT_NEXT_LINE },
	{ M(PAGER) | M(HELP), FN(KEY_DOWN), ACT_NEXT_LINE },
	{ M(PAGER) | M(HELP), FN(KEY_ENTER), ACT_NEXT_LINE },
	{ M(PAGER) | M(HELP), FN(KEY_UP), ACT_PREVIOUS_LINE },
	{ M(PAGER) | M(HELP), FN(KEY_BACKSPACE), ACT_PREVIOUS_LINE },
	{ M(PAGER) | M(HELP), 127, ACT_PREVIOUS_LINE },
	{ M(PAGER) | M(HELP), FN(KEY_HOME), ACT_TOP },
	{ M(PAGER) | M(HELP), '^', ACT_TOP },
	{ M(PAGER) | M(HELP), FN(KEY_END), ACT_BOTTOM },
	{ M(PAGER) | M(HELP), 'G', ACT_BOTTOM },
	{ M(PAGER), 'j', ACT_NEXT_UNDELETED },
	{ M(PAGER), 'k', ACT_PREVIOUS_UNDELETED },
	{ M(PAGER), 'J', ACT_NEXT_ENTRY },
	{ M(PAGER), 'K', ACT_PREVIOUS_ENTRY },
	{ M(INDEX), '\r', ACT_DISPLAY_MESSAGE },
	{ M(INDEX), FN(KEY_ENTER), ACT_DISPLAY_MESSAGE },
	{ MSG, 'd', ACT_DELETE },
	{ MSG, 'u', ACT_UNDELETE },
	{ M(INDEX), '$', ACT_SYNC },
	{ MSG, 'N', ACT_TOGGLE_NEW },
	{ MSG, 'F', ACT_FLAG },
	{ M(INDEX), 'o', ACT_SORT },
	{ M(INDEX), 'O', ACT_SORT_REVERSE },
	{ M(INDEX), 'T', ACT_TOGGLE_THREADS },
	{ M(INDEX), 'l', ACT_LIMIT },
	{ MSG | M(HELP), '/', ACT_SEARCH },
	{ MSG | M(HELP), 'n', ACT_SEARCH_NEXT },
	{ MSG | M(HELP), 'p', ACT_SEARCH_OPPOSITE },
	{ M(PAGER), 'h', ACT_TOGGLE_HEADERS },
	{ MSG, 'v', ACT_VIEW_ATTACHMENTS },
	{ M(INDEX), 'c', ACT_CHANGE_FOLDER },
	{ MSG, 's', ACT_SAVE_MESSAGE },
	{ MSG, 'C', ACT_COPY_MESSAGE },
	{ MSG, 'r', ACT_REPLY },
	{ MSG, 'g', ACT_GROUP_REPLY },
	{ MSG, 'f', ACT_FORWARD },
	{ MSG, 'm', ACT_MAIL },
	{ M(INDEX), 'G', ACT_FETCH_MAIL },
	{ M(ATTACH), 's', ACT_SAVE_ENTRY },
	{ M(ATTACH), '|', ACT_PIPE_ENTRY },
	{ M(ATTACH), 'm', ACT_VIEW_MAILCAP },
	{ M(ATTACH), '\r', ACT_VIEW_MAILCAP },
	{ M(ATTACH), FN(KEY_ENTER), ACT_VIEW_MAILCAP },
	{ VIEWS, '?', ACT_HELP },
	{ VIEWS, CTRL('l'), ACT_REDRAW },
	{ M(PAGER) | M(ATTACH) | M(HELP), 'q', ACT_EXIT },
	{ M(PAGER), 'i', ACT_EXIT },
	{ M(INDEX), 'q', ACT_QUIT },
	{ M(INDEX), CTRL('c'), ACT_QUIT },
	{ VIEWS, CTRL('z'), ACT_SUSPEND },
	{ M(PROMPT), CTRL('a'), ACT_EDIT_BOL },
	{ M(PROMPT), FN(KEY_HOME), ACT_EDIT_BOL },
	{ M(PROMPT), CTRL('e'), ACT_EDIT_EOL },
	{ M(PROMPT), FN(KEY_END), ACT_EDIT_EOL },
	{ M(PROMPT), CTRL('k'), ACT_EDIT_KILL_EOL },
	{ M(PROMPT), CTRL('u'), ACT_EDIT_KILL_LINE },
	{ M(PROMPT), CTRL('w'), ACT_EDIT_KILL_WORD },
	{ M(PROMPT), FN(KEY_BACKSPACE), ACT_EDIT_BACKSPACE },
	{ M(PROMPT), 127, ACT_EDIT_BACKSPACE },
	{ M(PROMPT), CTRL('h'), ACT_EDIT_BACKSPACE },
	{ M(PROMPT), FN(KEY_DC), ACT_EDIT_DELETE },
	{ M(PROMPT), CTRL('d'), ACT_EDIT_DELETE },
	{ M(PROMPT), FN(KEY_LEFT), ACT_EDIT_LEFT },
	{ M(PROMPT), CTRL('b'), ACT_EDIT_LEFT },
	{ M(PROMPT), FN(KEY_RIGHT), ACT_EDIT_RIGHT },
	{ M(PROMPT), CTRL('f'), ACT_EDIT_RIGHT },
	{ M(PROMPT), FN(KEY_UP), ACT_EDIT_HISTORY_UP },
	{ M(PROMPT), CTRL('p'), ACT_EDIT_HISTORY_UP },
	{ M(PROMPT), FN(KEY_DOWN), ACT_EDIT_HISTORY_DOWN },
	{ M(PROMPT), CTRL('n'), ACT_EDIT_HISTORY_DOWN },
	{ M(PROMPT), '\t', ACT_EDIT_COMPLETE },
	{ M(PROMPT), '\r', ACT_EDIT_ACCEPT },
	{ M(PROMPT), '\n', ACT_EDIT_ACCEPT },
	{ M(PROMPT), FN(KEY_ENTER), ACT_EDIT_ACCEPT },
	{ M(PROMPT), CTRL('g'), ACT_EDIT_CANCEL },
	{ M(PROMPT), CTRL('c'), ACT_EDIT_CANCEL },
	{ M(PROMPT), 27, ACT_EDIT_CANCEL },
	{ VIEWS, 'S', ACT_SETTINGS },
	{ M(SETTINGS), 'q', ACT_EXIT },
	{ M(SETTINGS), '/', ACT_SEARCH },
	{ M(SETTINGS), 'n', ACT_SEARCH_NEXT },
	{ M(SETTINGS), 'p', ACT_SEARCH_OPPOSITE },
	{ M(SETTINGS), '\r', ACT_EDIT_OPTION },
	{ M(SETTINGS), FN(KEY_ENTER), ACT_EDIT_OPTION },
	{ M(SETTINGS), ' ', ACT_EDIT_OPTION },
	{ M(SETTINGS), 'D', ACT_RESET_OPTION },
	{ M(SETTINGS), 'w', ACT_SAVE_SETTINGS },
	{ M(SETTINGS), 'a', ACT_ACCOUNT_ADD },
	{ M(SETTINGS), 'r', ACT_ACCOUNT_RENAME },
	{ M(SETTINGS), 'x', ACT_ACCOUNT_REMOVE },
	/* mutt leaves F5 unbound: no one reloads by accident */
	{ VIEWS & ~M(SETTINGS), FN(KEY_F(5)), ACT_RELOAD_CONFIG },
	{ M(FOLDERS), '\r', ACT_OPEN_FOLDER },
	{ M(FOLDERS), FN(KEY_ENTER), ACT_OPEN_FOLDER },
	{ M(FOLDERS), ' ', ACT_OPEN_FOLDER },
	{ M(FOLDERS), 'c', ACT_OPEN_MAILDIR },
	{ M(FOLDERS), '$', ACT_REFRESH_FOLDERS },
	{ M(FOLDERS), '/', ACT_SEARCH },
	{ M(FOLDERS), 'n', ACT_SEARCH_NEXT },
	{ M(FOLDERS), 'p', ACT_SEARCH_OPPOSITE },
	{ M(FOLDERS), 'q', ACT_EXIT },
	{ M(FOLDERS), 27, ACT_EXIT },
};

static const char *const keymap_names[KEYMAP_COUNT] = {
	"index", "pager", "attach", "help", "prompt", "settings", "folders"
};

/* Named keys, for parsing and for the help screen. */
static const struct {
	const char	*name;
	int		 key;
} keymap_keynames[] = {
	{ "Enter", '\r' },		{ "Return", '\r' },
	{ "Space", ' ' },		{ "Tab", '\t' },
	{ "Esc", 27 },			{ "Backspace", FN(KEY_BACKSPACE) },
	{ "Up", FN(KEY_UP) },		{ "Down", FN(KEY_DOWN) },
	{ "Left", FN(KEY_LEFT) },	{ "Right", FN(KEY_RIGHT) },
	{ "PageUp", FN(KEY_PPAGE) },	{ "PageDown", FN(KEY_NPAGE) },
	{ "Home", FN(KEY_HOME) },	{ "End", FN(KEY_END) },
	{ "Insert", FN(KEY_IC) },	{ "Delete", FN(KEY_DC) },
	{ "KeypadEnter", FN(KEY_ENTER) }, { "BackTab", FN(KEY_BTAB) },
	{ "Del", 127 },
};

struct keymap_table {
	struct keymap_entry	*v;
	size_t			 n;
	size_t			 cap;
};

struct keymap {
	struct keymap_table	 t[KEYMAP_COUNT];
};

struct keymap *
keymap_new(void)
{
	struct keymap	*km;
	size_t		 i;
	unsigned int	 id;

	km = xcalloc(1, sizeof *km);
	for (i = 0; i < sizeof keymap_defaults / sizeof keymap_defaults[0];
	    i++)
		for (id = 0; id < KEYMAP_COUNT; id++)
			if (keymap_defaults[i].maps & (1U << id))
				keymap_bind(km, id, keymap_defaults[i].key,
				    keymap_defaults[i].action);
	return km;
}

void
keymap_free(struct keymap *km)
{
	unsigned int	 id;

	if (km == NULL)
		return;
	for (id = 0; id < KEYMAP_COUNT; id++)
		free(km->t[id].v);
	free(km);
}

enum action
keymap_get(const struct keymap *km, enum keymap_id id, int key)
{
	const struct keymap_table	*t;
	size_t				 i;

	if ((unsigned int)id >= KEYMAP_COUNT)
		return ACT_NONE;
	t = &km->t[id];
	for (i = 0; i < t->n; i++)
		if (t->v[i].key == key)
			return t->v[i].action;
	return ACT_NONE;
}

void
keymap_bind(struct keymap *km, enum keymap_id id, int key, enum action a)
{
	struct keymap_table	*t = &km->t[id];
	size_t			 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].key == key)
			break;
	if (a == ACT_NONE) {
		if (i < t->n)
			t->v[i] = t->v[--t->n];
		return;
	}
	if (i == t->n) {
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 32;
			t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
		}
		t->n++;
	}
	t->v[i].key = key;
	t->v[i].action = a;
}

int
keymap_key_for(const struct keymap *km, enum keymap_id id, enum action a)
{
	const struct keymap_table	*t = &km->t[id];
	size_t				 i;
	int				 any = -1;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].action != a)
			continue;
		if (t->v[i].key > 32 && t->v[i].key < 127)
			return t->v[i].key;
		if (any == -1)
			any = t->v[i].key;
	}
	return any;
}

enum action
action_find(const char *name)
{
	unsigned int	 a;

	for (a = 0; a < ACT_COUNT; a++)
		if (action_defs[a].name != NULL &&
		    strcmp(action_defs[a].name, name) == 0)
			return (enum action)a;
	return ACT_NONE;
}

int
keymap_id_find(const char *screen)
{
	int	 id;

	for (id = 0; id < KEYMAP_COUNT; id++)
		if (strcmp(keymap_names[id], screen) == 0)
			return id;
	return -1;
}

const char *
keymap_id_name(enum keymap_id id)
{
	return (unsigned int)id < KEYMAP_COUNT ? keymap_names[id] : "?";
}

static int
keymap_fkey(const char *s, int *key)
{
	char	*end;
	long	 n;

	if ((s[0] != 'F' && s[0] != 'f') || s[1] < '1' || s[1] > '9')
		return -1;
	n = strtol(s + 1, &end, 10);
	if (*end != '\0' || n < 1 || n > 24)
		return -1;
	*key = FN(KEY_F((int)n));
	return 0;
}

int
keymap_key_parse(const char *name, int *key, struct err *e)
{
	size_t		 len = strlen(name), i;
	mbstate_t	 mbs;
	wchar_t		 wc;
	char		 inner[32];

	if (len >= 3 && name[0] == '<' && name[len - 1] == '>') {
		if (len - 2 >= sizeof inner)
			return err_set(e, ERR_INPUT, "unknown key %s", name);
		memcpy(inner, name + 1, len - 2);
		inner[len - 2] = '\0';
		for (i = 0; i < sizeof keymap_keynames /
		    sizeof keymap_keynames[0]; i++)
			if (strcasecmp(keymap_keynames[i].name, inner) == 0) {
				*key = keymap_keynames[i].key;
				return 0;
			}
		if (keymap_fkey(inner, key) == 0)
			return 0;
		return err_set(e, ERR_INPUT, "unknown key %s", name);
	}
	if ((len == 2 && name[0] == '^') ||
	    (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-')) {
		char	 c = name[len - 1];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    strchr("@[\\]^_", c) != NULL) {
			*key = CTRL(c);
			return 0;
		}
		return err_set(e, ERR_INPUT, "no control key %s", name);
	}
	memset(&mbs, 0, sizeof mbs);
	if (len > 0 && mbrtowc(&wc, name, len, &mbs) == len && wc > 32 &&
	    wc != 127) {
		*key = (int)wc;
		return 0;
	}
	if (len == 1 && (unsigned char)name[0] > 32 &&
	    (unsigned char)name[0] < 127) {
		*key = name[0];
		return 0;
	}
	return err_set(e, ERR_INPUT, "unknown key %s", name);
}

void
keymap_key_name(int key, char *out, size_t n)
{
	size_t		 i;
	mbstate_t	 mbs;
	char		 mb[MB_LEN_MAX + 1];
	size_t		 len;

	for (i = 0; i < sizeof keymap_keynames / sizeof keymap_keynames[0];
	    i++)
		if (keymap_keynames[i].key == key) {
			snprintf(out, n, "<%s>", keymap_keynames[i].name);
			return;
		}
	if (key & KEYMAP_FN) {
		int	 k = key & ~KEYMAP_FN;

		if (k >= KEY_F(1) && k <= KEY_F(24))
			snprintf(out, n, "<F%d>", k - KEY_F(0));
		else
			snprintf(out, n, "<key%d>", k);
		return;
	}
	if (key >= 0 && key < 32) {
		snprintf(out, n, "^%c", key + '@');
		return;
	}
	if (key < 127) {
		snprintf(out, n, "%c", key);
		return;
	}
	memset(&mbs, 0, sizeof mbs);
	len = wcrtomb(mb, (wchar_t)key, &mbs);
	if (len == (size_t)-1)
		snprintf(out, n, "<U+%04X>", (unsigned int)key);
	else {
		mb[len] = '\0';
		snprintf(out, n, "%s", mb);
	}
}

int
keymap_bind_text(struct keymap *km, const char *screen, const char *key,
    const char *action, struct err *e)
{
	int		 id, k;
	enum action	 a;

	if ((id = keymap_id_find(screen)) == -1)
		return err_set(e, ERR_INPUT, "unknown screen %s in [keys.%s]",
		    screen, screen);
	if (keymap_key_parse(key, &k, e) == -1)
		return -1;
	a = action_find(action);
	if (a == ACT_NONE && strcmp(action, "none") != 0)
		return err_set(e, ERR_INPUT, "unknown action %s", action);
	if (a != ACT_NONE && (action_defs[a].maps & (1U << id)) == 0)
		return err_set(e, ERR_INPUT, "action %s does not work in the "
		    "%s screen", action, screen);
	keymap_bind(km, id, k, a);
	return 0;
}

static int
keymap_entry_cmp(const void *pa, const void *pb)
{
	const struct keymap_entry	*a = pa, *b = pb;

	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	return (a->key > b->key) - (a->key < b->key);
}

size_t
keymap_list(const struct keymap *km, enum keymap_id id,
    struct keymap_entry *out, size_t n)
{
	const struct keymap_table	*t = &km->t[id];
	struct keymap_entry		*all;
	size_t				 i;

	all = xreallocarray(NULL, t->n ? t->n : 1, sizeof *all);
	memcpy(all, t->v, t->n * sizeof *all);
	qsort(all, t->n, sizeof *all, keymap_entry_cmp);
	for (i = 0; i < t->n && i < n; i++)
		out[i] = all[i];
	free(all);
	return t->n;
}
