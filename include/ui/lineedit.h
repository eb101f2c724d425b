/* SPDX-License-Identifier: ISC */
/*
 * lineedit.h: the one-line editor behind every prompt: UTF-8 text with a
 * cursor, editing actions (^A ^E ^K ^U ^W, arrows, backspace, delete),
 * history and file name completion.  Pure: no curses, no drawing; the
 * prompt screen feeds it keys and draws its text.
 */
#ifndef PONS_UI_LINEEDIT_H
#define PONS_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/keymap.h"
#include "util/buf.h"

#define LINEEDIT_MAX		4096	/* bytes of text */
#define LINEEDIT_HISTORY_MAX	100

/* A history list (most recent last); one per prompt kind. */
struct lineedit_history {
	char	*v[LINEEDIT_HISTORY_MAX];
	size_t	 n;
};

struct lineedit {
	struct buf			 text;
	size_t				 cursor;	/* byte offset */
	struct lineedit_history		*hist;		/* may be NULL */
	size_t				 hpos;		/* == hist->n: live */
	char				*saved;		/* live line while
							   browsing history */
};

enum lineedit_result { LINEEDIT_MORE, LINEEDIT_ACCEPT, LINEEDIT_CANCEL };

void	 lineedit_init(struct lineedit *, const char *initial,
	    struct lineedit_history *);
void	 lineedit_fini(struct lineedit *);
/* Insert the code point c at the cursor. */
void	 lineedit_insert(struct lineedit *, int c);
/* Apply an editing action (ACT_EDIT_*); ACT_EDIT_COMPLETE completes a
 * path.  Returns ACCEPT or CANCEL when the prompt ends. */
enum lineedit_result lineedit_action(struct lineedit *, enum action);
/* The text (borrowed until the next change). */
const char *lineedit_text(const struct lineedit *);
/* Add line to h (duplicates of the last entry are not kept). */
void	 lineedit_history_add(struct lineedit_history *, const char *line);
void	 lineedit_history_clear(struct lineedit_history *);
/*
 * Complete the path in the text up to the cursor: the longest common
 * prefix of the matching directory entries ("/" after a directory).
 * Returns the number of matches.
 */
size_t	 lineedit_complete(struct lineedit *);

/*
 * Complete the text up to the cursor as the start of one of words[0..n):
 * the longest common prefix of the matches.  Returns the number of
 * matches.
 */
size_t	 lineedit_complete_words(struct lineedit *, const char *const *words,
	    size_t n);

#endif
