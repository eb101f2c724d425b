/* SPDX-License-Identifier: ISC */
/*
 * addr.h: address lists of From, To, Cc, Reply-To, ... (RFC 5322 section
 * 3.4, with the obsolete forms of section 4.4).  Pure: text in, an owned
 * list out.
 *
 * Lenient: display names with quoted strings and escapes, comments (a
 * comment is the name when there is no other: "a@b (Name)"), groups
 * (members flattened, the group name kept on each), route syntax
 * ("<@route:a@b>"), missing angle brackets or a missing closing one, RFC
 * 2047 words in names, also inside quotes (a common mistake), raw 8-bit
 * bytes in names.
 */
#ifndef PONS_MSG_ADDR_H
#define PONS_MSG_ADDR_H

#include <stddef.h>

#define ADDR_COUNT_MAX	1024	/* addresses kept per list */
#define ADDR_INPUT_MAX	(256 * 1024) /* bytes of field value looked at */

struct addr {
	char	*name;		/* display name, decoded UTF-8, or NULL */
	char	*addr;		/* addr-spec as written (comments, spaces and
				 * route removed); "" for an empty group */
	char	*group;		/* decoded group name, or NULL */
};

struct addr_list {
	struct addr	*v;
	size_t		 n;
};

/*
 * Parse the value p[0..len) of an address field (folded or not) into l,
 * which must be empty (zeroed) or finished.  charset (C string, may be
 * NULL) is used for raw 8-bit bytes that are not UTF-8.  An empty group
 * ("undisclosed-recipients:;") gives one entry with addr "" and group set.
 * Returns the number of entries; never fails.  Free with addr_list_fini.
 */
size_t	 addr_list_parse(struct addr_list *l, const char *p, size_t len,
	    const char *charset);
void	 addr_list_fini(struct addr_list *);

#endif
