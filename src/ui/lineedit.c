/* SPDX-License-Identifier: ISC */
/*
 * The line editor of prompts.  Cursor moves by whole UTF-8 sequences.
 * Completion reads a directory (a local, bounded operation).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "ui/lineedit.h"
#include "util/xmalloc.h"

void
lineedit_init(struct lineedit *le, const char *initial,
    struct lineedit_history *hist)
{
	buf_init(&le->text);
	buf_add_str(&le->text, initial != NULL ? initial : "");
	le->cursor = le->text.len;
	le->hist = hist;
	le->hpos = hist != NULL ? hist->n : 0;
	le->saved = NULL;
}

void
lineedit_fini(struct lineedit *le)
{
	buf_fini(&le->text);
	free(le->saved);
	le->saved = NULL;
}

const char *
lineedit_text(const struct lineedit *le)
{
	return buf_str(&le->text);
}

static bool
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t
le_prev(const struct lineedit *le, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_cont((unsigned char)le->text.data[pos]))
		pos--;
	return pos;
}

static size_t
le_next(const struct lineedit *le, size_t pos)
{
	if (pos >= le->text.len)
		return le->text.len;
	pos++;
	while (pos < le->text.len && is_cont((unsigned char)le->text.data[pos]))
		pos++;
	return pos;
}

/* Remove bytes [from, to) and put the cursor at from. */
static void
le_cut(struct lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->text.data + from, le->text.data + to, le->text.len - to);
	buf_truncate(&le->text, le->text.len - (to - from));
	le->cursor = from;
}

/* Insert n bytes at the cursor. */
static void
le_put(struct lineedit *le, const char *p, size_t n)
{
	size_t	 tail = le->text.len - le->cursor;

	if (le->text.len + n > LINEEDIT_MAX)
		return;
	buf_reserve(&le->text, n);
	memmove(le->text.data + le->cursor + n, le->text.data + le->cursor,
	    tail);
	memcpy(le->text.data + le->cursor, p, n);
	le->text.len += n;
	le->text.data[le->text.len] = '\0';
	le->cursor += n;
}

void
lineedit_insert(struct lineedit *le, int c)
{
	char		 b[4];
	size_t		 n;
	unsigned int	 u = (unsigned int)c;

	if (c < 0x20 || c == 0x7f || u > 0x10ffff || (u >= 0xd800 &&
	    u <= 0xdfff))
		return;
	if (u < 0x80) {
		b[0] = (char)u; n = 1;
	} else if (u < 0x800) {
		b[0] = (char)(0xc0 | (u >> 6));
		b[1] = (char)(0x80 | (u & 0x3f)); n = 2;
	} else if (u < 0x10000) {
		b[0] = (char)(0xe0 | (u >> 12));
		b[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		b[2] = (char)(0x80 | (u & 0x3f)); n = 3;
	} else {
		b[0] = (char)(0xf0 | (u >> 18));
		b[1] = (char)(0x80 | ((u >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((u >> 6) & 0x3f));
		b[3] = (char)(0x80 | (u & 0x3f)); n = 4;
	}
	le_put(le, b, n);
}

static void
le_set(struct lineedit *le, const char *s)
{
	buf_reset(&le->text);
	buf_add_str(&le->text, s);
	le->cursor = le->text.len;
}

static void
le_history(struct lineedit *le, int dir)
{
	struct lineedit_history	*h = le->hist;

	if (h == NULL || h->n == 0)
		return;
	if (dir < 0 && le->hpos > 0) {
		if (le->hpos == h->n) {
			free(le->saved);
			le->saved = xstrdup(buf_str(&le->text));
		}
		le->hpos--;
		le_set(le, h->v[le->hpos]);
	} else if (dir > 0 && le->hpos < h->n) {
		le->hpos++;
		le_set(le, le->hpos == h->n ? (le->saved ? le->saved : "") :
		    h->v[le->hpos]);
	}
}

static void
le_kill_word(struct lineedit *le)
{
	size_t	 pos = le->cursor;

	while (pos > 0 && le->text.data[pos - 1] == ' ')
		pos--;
	while (pos > 0 && le->text.data[pos - 1] != ' ' &&
	    le->text.data[pos - 1] != '/')
		pos--;
	if (pos == le->cursor && pos > 0)	/* just after a "/" */
		pos--;
	le_cut(le, pos, le->cursor);
}

enum lineedit_result
lineedit_action(struct lineedit *le, enum action a)
{
	switch (a) {
	case ACT_EDIT_BOL:
		le->cursor = 0;
		break;
	case ACT_EDIT_EOL:
		le->cursor = le->text.len;
		break;
	case ACT_EDIT_KILL_EOL:
		le_cut(le, le->cursor, le->text.len);
		break;
	case ACT_EDIT_KILL_LINE:
		le_cut(le, 0, le->cursor);
		break;
	case ACT_EDIT_KILL_WORD:
		le_kill_word(le);
		break;
	case ACT_EDIT_BACKSPACE:
		le_cut(le, le_prev(le, le->cursor), le->cursor);
		break;
	case ACT_EDIT_DELETE:
		le_cut(le, le->cursor, le_next(le, le->cursor));
		break;
	case ACT_EDIT_LEFT:
		le->cursor = le_prev(le, le->cursor);
		break;
	case ACT_EDIT_RIGHT:
		le->cursor = le_next(le, le->cursor);
		break;
	case ACT_EDIT_HISTORY_UP:
		le_history(le, -1);
		break;
	case ACT_EDIT_HISTORY_DOWN:
		le_history(le, 1);
		break;
	case ACT_EDIT_COMPLETE:
		lineedit_complete(le);
		break;
	case ACT_EDIT_ACCEPT:
		return LINEEDIT_ACCEPT;
	case ACT_EDIT_CANCEL:
		return LINEEDIT_CANCEL;
	default:
		break;
	}
	return LINEEDIT_MORE;
}

void
lineedit_history_add(struct lineedit_history *h, const char *line)
{
	if (*line == '\0')
		return;
	if (h->n > 0 && strcmp(h->v[h->n - 1], line) == 0)
		return;
	if (h->n == LINEEDIT_HISTORY_MAX) {
		free(h->v[0]);
		memmove(h->v, h->v + 1, (h->n - 1) * sizeof h->v[0]);
		h->n--;
	}
	h->v[h->n++] = xstrdup(line);
}

void
lineedit_history_clear(struct lineedit_history *h)
{
	while (h->n > 0)
		free(h->v[--h->n]);
}

size_t
lineedit_complete(struct lineedit *le)
{
	char		*word, *slash, *dir, *common = NULL;
	const char	*base, *home;
	DIR		*d;
	struct dirent	*de;
	size_t		 nmatch = 0, baselen, clen = 0, i;
	struct stat	 st;

	word = xstrndup(le->text.data ? le->text.data : "", le->cursor);
	if (word[0] == '~' && (word[1] == '/' || word[1] == '\0') &&
	    (home = getenv("HOME")) != NULL) {
		char	*w = xasprintf("%s%s", home, word + 1);

		free(word);
		word = w;
		le_set(le, word);	/* show the expansion */
	}
	slash = strrchr(word, '/');
	if (slash != NULL) {
		dir = xstrndup(word, (size_t)(slash - word) + 1);
		base = slash + 1;
	} else {
		dir = xstrdup("./");
		base = word;
	}
	baselen = strlen(base);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, baselen) != 0 ||
			    strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0 ||
			    (baselen == 0 && de->d_name[0] == '.'))
				continue;
			if (nmatch++ == 0) {
				common = xstrdup(de->d_name);
				clen = strlen(common);
				continue;
			}
			for (i = 0; i < clen && common[i] == de->d_name[i]; i++)
				;
			clen = i;
		}
		closedir(d);
	}
	if (nmatch > 0) {
		le->cursor = le->text.len < le->cursor ? le->text.len :
		    le->cursor;
		le_put(le, common + baselen, clen - baselen);
		if (nmatch == 1) {
			char	*full = xasprintf("%s%s", dir, common);

			if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
				le_put(le, "/", 1);
			free(full);
		}
	}
	free(common);
	free(dir);
	free(word);
	return nmatch;
}

size_t
lineedit_complete_words(struct lineedit *le, const char *const *words,
    size_t n)
{
	const char	*text = le->text.data != NULL ? le->text.data : "";
	const char	*common = NULL;
	size_t		 len = le->cursor, clen = 0, nmatch = 0, i, j;

	for (i = 0; i < n; i++) {
		if (strncmp(words[i], text, len) != 0)
			continue;
		if (nmatch++ == 0) {
			common = words[i];
			clen = strlen(common);
			continue;
		}
		for (j = len; j < clen && common[j] == words[i][j]; j++)
			;
		clen = j;
	}
	if (nmatch > 0 && clen > len)
		le_put(le, common + len, clen - len);
	return nmatch;
}
