/* SPDX-License-Identifier: ISC */
/*
 * pattern.h: the small pattern language of search (`/`) and limit (`l`).
 *
 *   ~f TEXT   sender contains TEXT        ~s TEXT   subject contains TEXT
 *   ~t TEXT   recipient contains TEXT     ~b TEXT   body contains TEXT
 *   ~N new (unread)   ~O read   ~F flagged   ~D deleted   ~r replied
 *   ~A all            ~a has attachments
 *   ~d RANGE  date sent in RANGE: YYYY-MM-DD (that day), A..B, A.. , ..B,
 *             <Nu (newer than N units), >Nu (older): u = d, w, m, y
 *   !X not X    X Y (or X & Y) both    X | Y either    ( X )
 *   TEXT      a bare word: sender or subject contains TEXT
 *
 * TEXT is a word, or "quoted" / 'quoted' with \ escapes.  Matching is
 * case-insensitive for ASCII.  Pure: the body is asked from a callback.
 */
#ifndef PONS_APP_PATTERN_H
#define PONS_APP_PATTERN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/err.h"

struct folder;
struct pattern;

/*
 * Body text of row, for ~b: returns true and sets p and len (borrowed until
 * the next call) if the body is available, false otherwise (no match).
 */
typedef bool	(*pattern_body_cb)(void *arg, const struct folder *,
		    uint32_t row, const char **p, size_t *len);

/*
 * Parse text.  now is the reference time for relative dates.  Returns a
 * pattern (free with pattern_free) or NULL with e set (ERR_INPUT, the
 * message names the column).
 */
struct pattern	*pattern_parse(const char *text, time_t now, struct err *e);
void		 pattern_free(struct pattern *);
/* Set the body provider used by ~b (none: ~b matches nothing). */
void		 pattern_body_set(struct pattern *, pattern_body_cb, void *);
/* Does row of f match? */
bool		 pattern_match(const struct pattern *, const struct folder *,
		    uint32_t row);
/* True if the pattern needs message bodies (~b). */
bool		 pattern_needs_body(const struct pattern *);

#endif
