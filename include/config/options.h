/* SPDX-License-Identifier: ISC */
/*
 * options.h: the one typed option table and typed option storage.
 *
 * Every setting pons has is declared once in opt_defs[] (options-table.c):
 * its name, section, type, range or choices, default (written as a user
 * would write it), one-line help and whether a change applies live or
 * needs a reconnect.  The config parser, the writer, the settings screen,
 * `pons --dump-config` and doc/ponsrc.5 all read that table.
 *
 * Code reads settings by enum id, never by name string:
 *	opt_bool(conf_opts(c), OPT_UI_THREADS)
 *	opt_duration(conf_account_opts(a), OPT_ACCOUNT_POLL_INTERVAL)
 * Each accessor asserts the option's type and scope (a global option is
 * read from the global struct opts, an account option from an account's).
 *
 * Key bindings ([keys.SCREEN]) are not options: see conf.h.
 * This layer uses util only; nothing here prints or reads files.
 */
#ifndef PONS_CONFIG_OPTIONS_H
#define PONS_CONFIG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* One entry per option, in table order; grouped by section. */
enum opt_id {
	/* [general] */
	OPT_GENERAL_DEFAULT_ACCOUNT,
	OPT_GENERAL_EDITOR,
	OPT_GENERAL_CONFIRM_QUIT,
	OPT_GENERAL_LOG_LEVEL,

	/* [ui] */
	OPT_UI_SORT,
	OPT_UI_SORT_REVERSE,
	OPT_UI_THREADS,
	OPT_UI_INDEX_FORMAT,
	OPT_UI_DATE_FORMAT,
	OPT_UI_DATE_FORMAT_RECENT,
	OPT_UI_PAGER_HEADERS,
	OPT_UI_PAGER_WRAP,
	OPT_UI_PAGER_CONTEXT,
	OPT_UI_MARK_READ,
	OPT_UI_MARK_READ_DELAY,
	OPT_UI_CONFIRM_DELETE,
	OPT_UI_MOUSE,
	OPT_UI_HELP_BAR,

	/* [colors]: each value is "FOREGROUND BACKGROUND [ATTRIBUTE...]" */
	OPT_COLOR_NORMAL,
	OPT_COLOR_INDICATOR,
	OPT_COLOR_STATUS,
	OPT_COLOR_ERROR,
	OPT_COLOR_INDEX_NEW,
	OPT_COLOR_INDEX_FLAGGED,
	OPT_COLOR_INDEX_DELETED,
	OPT_COLOR_TREE,
	OPT_COLOR_HEADER,
	OPT_COLOR_QUOTED,
	OPT_COLOR_SIGNATURE,
	OPT_COLOR_ATTACHMENT,
	OPT_COLOR_SEARCH,
	OPT_COLOR_URL,
	OPT_COLOR_PLACEHOLDER,
	OPT_COLOR_CHANGED,

	/* [account "NAME"] */
	OPT_ACCOUNT_PROTOCOL,
	OPT_ACCOUNT_HOST,
	OPT_ACCOUNT_PORT,
	OPT_ACCOUNT_TLS,
	OPT_ACCOUNT_USER,
	OPT_ACCOUNT_PASSWORD_COMMAND,
	OPT_ACCOUNT_PASSWORD,
	OPT_ACCOUNT_CA_FILE,
	OPT_ACCOUNT_ALLOW_PLAINTEXT,
	OPT_ACCOUNT_TIMEOUT,
	OPT_ACCOUNT_ASSUMED_CHARSET,
	OPT_ACCOUNT_SIZE_LIMIT,
	/* POP3 */
	OPT_ACCOUNT_KEEP_ON_SERVER,
	OPT_ACCOUNT_DELETE_AFTER_DAYS,
	OPT_ACCOUNT_CHECK_INTERVAL,
	OPT_ACCOUNT_SPOOL,
	OPT_ACCOUNT_APOP,
	/* IMAP */
	OPT_ACCOUNT_IDLE,
	OPT_ACCOUNT_IDLE_RESTART,
	OPT_ACCOUNT_POLL_INTERVAL,
	OPT_ACCOUNT_CACHE_MAX_BODY,
	OPT_ACCOUNT_WATCH_FOLDERS,
	OPT_ACCOUNT_STATUS_INTERVAL,
	OPT_UI_SIDEBAR,		/* [ui], after the rest so ids stay put */

	OPT_COUNT
};

enum opt_section {
	OPT_SEC_GENERAL,	/* [general] */
	OPT_SEC_UI,		/* [ui] */
	OPT_SEC_COLORS,		/* [colors] */
	OPT_SEC_ACCOUNT,	/* [account "NAME"], one set per account */
	OPT_SEC_COUNT
};

enum opt_type {
	OPT_T_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	OPT_T_INT,	/* decimal integer in [min, max] */
	OPT_T_ENUM,	/* one of choices[] */
	OPT_T_STRING,	/* free text */
	OPT_T_PATH,	/* file name; a leading ~/ is expanded on use */
	OPT_T_COMMAND,	/* shell command line, run with sh -c */
	OPT_T_COLOUR,	/* "FG BG [ATTR...]", see struct opt_colour */
	OPT_T_DURATION,	/* 30s, 5m, 2h, 1d or bare seconds; seconds in [min, max] */
	OPT_T_SIZE,	/* 512, 64K, 10M, 1G (powers of 1024); bytes in [min, max] */
	OPT_T_LIST,	/* words separated by commas and/or spaces */
	OPT_T_COUNT
};

/* Flags of an option (opt_def.flags). */
#define OPT_F_RECONNECT	0x01	/* takes effect on the next connection */
#define OPT_F_SENSITIVE	0x02	/* never shown, logged or dumped */
#define OPT_F_REQUIRED	0x04	/* an account must set it */
#define OPT_F_POP3	0x08	/* meaningful for POP3 accounts only */
#define OPT_F_IMAP	0x10	/* meaningful for IMAP accounts only */
#define OPT_F_START	0x20	/* read once, when pons starts */

struct opt_def {
	const char		 *name;		/* as written in the file: "sort" */
	enum opt_section	  section;
	enum opt_type		  type;
	int			  flags;	/* OPT_F_* */
	int64_t			  min;		/* INT, DURATION (s), SIZE (bytes) */
	int64_t			  max;
	const char *const	 *choices;	/* ENUM: NULL-terminated */
	const char		 *default_text;	/* NULL: unset unless derived */
	const char		 *help;		/* one line, no final full stop */
};

/* The table; indexed by enum opt_id. */
extern const struct opt_def	opt_defs[OPT_COUNT];

/* An old option name that still works, with a warning naming the new one. */
struct opt_synonym {
	enum opt_section	 section;
	const char		*old_name;
	enum opt_id		 id;
};
extern const struct opt_synonym	opt_synonyms[];
extern const size_t		opt_nsynonyms;

/* Values of the ENUM options, in the order of their choices[]. */
enum opt_sort {
	OPT_SORT_DATE, OPT_SORT_DATE_RECEIVED, OPT_SORT_FROM, OPT_SORT_TO,
	OPT_SORT_SUBJECT, OPT_SORT_SIZE, OPT_SORT_UNSORTED
};
enum opt_wrap { OPT_WRAP_NONE, OPT_WRAP_WORD, OPT_WRAP_FLOWED };
enum opt_log_level {
	OPT_LOG_WARN, OPT_LOG_INFO, OPT_LOG_DEBUG, OPT_LOG_PROTO
};
enum opt_protocol { OPT_PROTO_IMAP, OPT_PROTO_POP3 };
enum opt_tls { OPT_TLS_IMPLICIT, OPT_TLS_STARTTLS, OPT_TLS_NONE };

/* A colour: fg/bg are -1 (terminal default) or 0..255. */
#define OPT_ATTR_BOLD		0x01
#define OPT_ATTR_UNDERLINE	0x02
#define OPT_ATTR_REVERSE	0x04
#define OPT_ATTR_DIM		0x08
#define OPT_ATTR_ITALIC		0x10
#define OPT_ATTR_BLINK		0x20
struct opt_colour {
	int		 fg;
	int		 bg;
	int		 attrs;		/* OPT_ATTR_* */
};

/* Where a value came from. */
enum opt_origin {
	OPT_ORIGIN_DEFAULT,	/* the table's default (or unset) */
	OPT_ORIGIN_FILE,	/* a line of the config file */
	OPT_ORIGIN_CMDLINE,	/* a command line option; never saved */
	OPT_ORIGIN_SET,		/* changed at run time (settings screen) */
};

/* Typed storage for the options of one scope (global or one account). */
struct opts;

/* Table lookups. */
const struct opt_def	*opt_def_get(enum opt_id);
const char		*opt_section_name(enum opt_section);
const char		*opt_type_name(enum opt_type);
/*
 * Find the option called name (NUL-terminated) in section.  Returns 0 with
 * *id set, or -1.  If name is an old synonym, *renamed is set to true.
 */
int	 opt_find(enum opt_section, const char *name, enum opt_id *id,
	    bool *renamed);
/* The known option name in section closest to name, or NULL if none is close. */
const char *opt_suggest(enum opt_section, const char *name);

/*
 * Parse text as a value of option id without storing it.  Returns 0, or
 * -1 with e (ERR_INPUT) saying what is allowed: the choices, the range.
 */
int	 opt_check(enum opt_id, const char *text, struct err *e);
/* Value parsers, exposed for the settings screen and tests. */
int	 opt_parse_bool(const char *, bool *);
int	 opt_parse_duration(const char *, int64_t *seconds);
int	 opt_parse_size(const char *, int64_t *bytes);
int	 opt_parse_colour(const char *, struct opt_colour *);
/* Write seconds/bytes the way a person would ("25m", "10M"). */
void	 opt_format_duration(int64_t seconds, struct buf *);
void	 opt_format_size(int64_t bytes, struct buf *);

/* Storage.  account: true for an account's options, false for the globals. */
struct opts	*opts_new(bool account);
void		 opts_free(struct opts *);
/* A deep copy (values and origins). */
struct opts	*opts_dup(const struct opts *);

/*
 * The one setter.  Checks text (type, range, choices), then stores it with
 * its origin; file is copied and may be NULL; line is 0 unless from a file.
 * Returns 0, or -1 with e filled (nothing changes).
 */
int	 opt_set(struct opts *, enum opt_id, const char *text,
	    enum opt_origin, const char *file, unsigned int line,
	    struct err *e);
/* Back to the table's default (origin DEFAULT). */
void	 opt_reset(struct opts *, enum opt_id);

/* Typed getters; each asserts type and scope. */
bool		 opt_bool(const struct opts *, enum opt_id);
int64_t		 opt_int(const struct opts *, enum opt_id);
/* Index into choices[]; compare with enum opt_sort, opt_tls, ... */
int		 opt_enum(const struct opts *, enum opt_id);
/* STRING, PATH, COMMAND: borrowed until the option changes; NULL if unset. */
const char	*opt_str(const struct opts *, enum opt_id);
int64_t		 opt_duration(const struct opts *, enum opt_id);	/* seconds */
int64_t		 opt_size(const struct opts *, enum opt_id);		/* bytes */
struct opt_colour opt_colour(const struct opts *, enum opt_id);
/* LIST: *n words, borrowed until the option changes. */
const char *const *opt_list(const struct opts *, enum opt_id, size_t *n);

/* Any type: true if a value is set (default or explicit). */
bool		 opt_is_set(const struct opts *, enum opt_id);
/* The value as text, as it would be written to the file; NULL if unset. */
const char	*opt_text(const struct opts *, enum opt_id);
enum opt_origin	 opt_origin(const struct opts *, enum opt_id);
/* File and line the value came from (origin FILE), else NULL/0. */
const char	*opt_origin_file(const struct opts *, enum opt_id);
unsigned int	 opt_origin_line(const struct opts *, enum opt_id);
/*
 * True if the value is the table's default, whatever its origin ("Yes"
 * set in the file for a default "yes" counts as the default): the
 * settings screen marks the others.
 */
bool		 opt_is_default(const struct opts *, enum opt_id);
/* True if the values differ (typed compare; sensitive values too). */
bool		 opt_differs(const struct opts *, const struct opts *,
		    enum opt_id);

#endif
