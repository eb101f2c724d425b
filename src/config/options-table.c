/* SPDX-License-Identifier: ISC */
/*
 * The option table: every setting pons has, declared once.  Defaults are
 * written as a person would write them in the file; a unit test sends
 * each through opt_set() so a bad default fails at once.
 */
#include "config.h"

#include <stddef.h>

#include "config/options.h"

#define MINUTE	60
#define HOUR	(60 * MINUTE)
#define DAY	(24 * HOUR)
#define KIB	1024LL
#define MIB	(1024 * KIB)
#define GIB	(1024 * MIB)

/* In the order of enum opt_sort, opt_wrap, ... */
static const char *const sort_values[] = {
	"date", "date-received", "from", "to", "subject", "size", "unsorted",
	NULL
};
static const char *const wrap_values[] = { "none", "word", "flowed", NULL };
static const char *const log_values[] = {
	"warn", "info", "debug", "protocol", NULL
};
static const char *const protocol_values[] = { "imap", "pop3", NULL };
static const char *const tls_values[] = {
	"implicit", "starttls", "none", NULL
};

#define BOOL(n, s, d, f, h) { .name = n, .section = s, .type = OPT_T_BOOL, \
	.flags = f, .default_text = d, .help = h }
#define STR(n, s, t, d, f, h) { .name = n, .section = s, .type = t, \
	.flags = f, .default_text = d, .help = h }
#define ENUM(n, s, c, d, f, h) { .name = n, .section = s, .type = OPT_T_ENUM, \
	.flags = f, .choices = c, .default_text = d, .help = h }
#define NUM(n, s, t, lo, hi, d, f, h) { .name = n, .section = s, .type = t, \
	.flags = f, .min = lo, .max = hi, .default_text = d, .help = h }
#define COLOUR(n, d, h) { .name = n, .section = OPT_SEC_COLORS, \
	.type = OPT_T_COLOUR, .default_text = d, .help = h }

#define G	OPT_SEC_GENERAL
#define U	OPT_SEC_UI
#define A	OPT_SEC_ACCOUNT
#define RC	OPT_F_RECONNECT

const struct opt_def opt_defs[OPT_COUNT] = {
	[OPT_GENERAL_DEFAULT_ACCOUNT] = STR("default_account", G, OPT_T_STRING,
	    NULL, OPT_F_START, "Account opened at start (default: the first one)"),
	[OPT_GENERAL_EDITOR] = STR("editor", G, OPT_T_COMMAND, NULL, 0,
	    "Editor for writing mail (default: $VISUAL, $EDITOR, then vi)"),
	[OPT_GENERAL_CONFIRM_QUIT] = BOOL("confirm_quit", G, "no", 0,
	    "Ask before quitting"),
	[OPT_GENERAL_LOG_LEVEL] = ENUM("log_level", G, log_values, "debug",
	    OPT_F_START,
	    "Detail of the debug log written with -d (protocol: redacted transcript)"),

	[OPT_UI_SORT] = ENUM("sort", U, sort_values, "date", 0,
	    "Order of messages in the index"),
	[OPT_UI_SORT_REVERSE] = BOOL("sort_reverse", U, "no", 0,
	    "Show the index in reverse order (newest first for dates)"),
	[OPT_UI_THREADS] = BOOL("threads", U, "yes", 0,
	    "Group messages into threads in the index"),
	[OPT_UI_INDEX_FORMAT] = STR("index_format", U, OPT_T_STRING,
	    "%4C %Z %D %-20.20F %s", 0,
	    "Layout of an index line (%C number, %Z flags, %D date, %F from, %s subject)"),
	[OPT_UI_DATE_FORMAT] = STR("date_format", U, OPT_T_STRING,
	    "%Y-%m-%d", 0, "strftime(3) format of dates older than a day"),
	[OPT_UI_DATE_FORMAT_RECENT] = STR("date_format_recent", U,
	    OPT_T_STRING, "%H:%M", 0,
	    "strftime(3) format of dates within the last day"),
	[OPT_UI_PAGER_HEADERS] = STR("pager_headers", U, OPT_T_LIST,
	    "From, To, Cc, Date, Subject", 0,
	    "Header fields shown above a message, in this order"),
	[OPT_UI_PAGER_WRAP] = ENUM("pager_wrap", U, wrap_values, "flowed", 0,
	    "How long lines are wrapped when reading mail"),
	[OPT_UI_PAGER_CONTEXT] = NUM("pager_context", U, OPT_T_INT, 0, 100,
	    "2", 0, "Lines kept on screen when paging down"),
	[OPT_UI_MARK_READ] = BOOL("mark_read", U, "yes", 0,
	    "Mark a message read when it is opened"),
	[OPT_UI_MARK_READ_DELAY] = NUM("mark_read_delay", U, OPT_T_DURATION,
	    0, HOUR, "0s", 0,
	    "How long a message must stay open before it is marked read"),
	[OPT_UI_CONFIRM_DELETE] = BOOL("confirm_delete", U, "no", 0,
	    "Ask before deleting messages"),
	[OPT_UI_MOUSE] = BOOL("mouse", U, "no", 0,
	    "Use the mouse to select and scroll"),
	[OPT_UI_HELP_BAR] = BOOL("help_bar", U, "yes", 0,
	    "Show the most useful keys on the top line"),

	[OPT_COLOR_NORMAL] = COLOUR("normal", "default default",
	    "Ordinary text"),
	[OPT_COLOR_INDICATOR] = COLOUR("indicator", "black cyan",
	    "The selected line"),
	[OPT_COLOR_STATUS] = COLOUR("status", "white blue bold",
	    "Status and help bars"),
	[OPT_COLOR_ERROR] = COLOUR("error", "red default bold",
	    "Error messages"),
	[OPT_COLOR_INDEX_NEW] = COLOUR("index_new", "default default bold",
	    "Unread messages in the index"),
	[OPT_COLOR_INDEX_FLAGGED] = COLOUR("index_flagged", "yellow default",
	    "Flagged messages in the index"),
	[OPT_COLOR_INDEX_DELETED] = COLOUR("index_deleted", "red default",
	    "Messages marked deleted in the index"),
	[OPT_COLOR_TREE] = COLOUR("tree", "magenta default",
	    "Thread tree lines in the index"),
	[OPT_COLOR_HEADER] = COLOUR("header", "green default",
	    "Header field names in the pager"),
	[OPT_COLOR_QUOTED] = COLOUR("quoted", "cyan default",
	    "Quoted text in the pager"),
	[OPT_COLOR_SIGNATURE] = COLOUR("signature", "blue default",
	    "Signatures in the pager"),
	[OPT_COLOR_ATTACHMENT] = COLOUR("attachment", "yellow default",
	    "Attachment lines in the pager"),
	[OPT_COLOR_SEARCH] = COLOUR("search", "black yellow",
	    "Search matches"),
	[OPT_COLOR_URL] = COLOUR("url", "blue default underline",
	    "Links in the pager"),
	[OPT_COLOR_PLACEHOLDER] = COLOUR("placeholder", "red default reverse",
	    "Visible stand-ins for control characters from mail"),
	[OPT_COLOR_CHANGED] = COLOUR("changed", "yellow default bold",
	    "Settings that differ from their default"),

	[OPT_ACCOUNT_PROTOCOL] = ENUM("protocol", A, protocol_values, NULL,
	    RC | OPT_F_REQUIRED,
	    "imap: live two-way connection; pop3: one-way download into a spool"),
	[OPT_ACCOUNT_HOST] = STR("host", A, OPT_T_STRING, NULL,
	    RC | OPT_F_REQUIRED, "Server host name"),
	[OPT_ACCOUNT_PORT] = NUM("port", A, OPT_T_INT, 1, 65535, NULL, RC,
	    "Server port (default: 993/143 for IMAP, 995/110 for POP3)"),
	[OPT_ACCOUNT_TLS] = ENUM("tls", A, tls_values, "implicit", RC,
	    "TLS from the first byte, upgraded with STARTTLS, or none"),
	[OPT_ACCOUNT_USER] = STR("user", A, OPT_T_STRING, NULL, RC,
	    "Login name (default: asked for)"),
	[OPT_ACCOUNT_PASSWORD_COMMAND] = STR("password_command", A,
	    OPT_T_COMMAND, NULL, RC,
	    "Command whose first output line is the password"),
	[OPT_ACCOUNT_PASSWORD] = STR("password", A, OPT_T_STRING, NULL,
	    RC | OPT_F_SENSITIVE,
	    "Password (prefer password_command; the file must be private)"),
	[OPT_ACCOUNT_CA_FILE] = STR("ca_file", A, OPT_T_PATH, NULL, RC,
	    "Trust these CA certificates instead of the system store"),
	[OPT_ACCOUNT_ALLOW_PLAINTEXT] = BOOL("allow_plaintext", A, "no", RC,
	    "Allow sending the password without TLS"),
	[OPT_ACCOUNT_TIMEOUT] = NUM("timeout", A, OPT_T_DURATION, 5, 10 * MINUTE,
	    "60s", 0, "Give up on a server that does not answer for this long"),
	[OPT_ACCOUNT_ASSUMED_CHARSET] = STR("assumed_charset", A, OPT_T_STRING,
	    "windows-1252", 0,
	    "Charset of 8-bit text in mail that does not name one"),
	[OPT_ACCOUNT_SIZE_LIMIT] = NUM("size_limit", A, OPT_T_SIZE, 0,
	    4 * GIB, "0", 0,
	    "Messages larger than this are not downloaded in full (0: no limit)"),
	[OPT_ACCOUNT_KEEP_ON_SERVER] = BOOL("keep_on_server", A, "yes",
	    OPT_F_POP3, "Leave downloaded messages on the POP3 server"),
	[OPT_ACCOUNT_DELETE_AFTER_DAYS] = NUM("delete_after_days", A,
	    OPT_T_INT, 0, 3650, "0", OPT_F_POP3,
	    "With keep_on_server, delete from the server after this many days (0: never)"),
	[OPT_ACCOUNT_CHECK_INTERVAL] = NUM("check_interval", A, OPT_T_DURATION,
	    0, DAY, "5m", OPT_F_POP3,
	    "How often to check a POP3 server for new mail (0: only on demand)"),
	[OPT_ACCOUNT_SPOOL] = STR("spool", A, OPT_T_PATH, NULL, OPT_F_POP3,
	    "Maildir for POP3 mail (default: $XDG_DATA_HOME/pons/ACCOUNT)"),
	[OPT_ACCOUNT_APOP] = BOOL("apop", A, "no", OPT_F_POP3 | RC,
	    "Log in with APOP (RFC 1939) only, for servers that ask for it"),
	[OPT_ACCOUNT_IDLE] = BOOL("idle", A, "yes", OPT_F_IMAP | RC,
	    "Keep the open folder live with IMAP IDLE; poll without it"),
	[OPT_ACCOUNT_IDLE_RESTART] = NUM("idle_restart", A, OPT_T_DURATION,
	    MINUTE, 29 * MINUTE, "25m", OPT_F_IMAP,
	    "Restart IDLE this often, before servers drop it (RFC 2177)"),
	[OPT_ACCOUNT_POLL_INTERVAL] = NUM("poll_interval", A, OPT_T_DURATION,
	    30, DAY, "5m", OPT_F_IMAP,
	    "How often to check folders that are not kept live by IDLE"),
	[OPT_ACCOUNT_CACHE_MAX_BODY] = NUM("cache_max_body", A, OPT_T_SIZE, 0,
	    GIB, "10M", OPT_F_IMAP,
	    "Largest message body kept in the local IMAP cache (0: none)"),
	[OPT_ACCOUNT_WATCH_FOLDERS] = STR("watch_folders", A, OPT_T_LIST,
	    "INBOX", OPT_F_IMAP,
	    "IMAP folders checked for new mail besides the open one"),
	[OPT_ACCOUNT_STATUS_INTERVAL] = NUM("status_interval", A,
	    OPT_T_DURATION, 0, DAY, "1m", OPT_F_IMAP,
	    "How often the folder list asks for unread counts (0: at open only)"),
	[OPT_UI_SIDEBAR] = BOOL("sidebar", U, "no", 0,
	    "Show the folders and their unread counts beside the index"),
};

/* Old names that still work.  Keep each one: a config that worked keeps working. */
const struct opt_synonym opt_synonyms[] = {
	{ OPT_SEC_ACCOUNT, "username", OPT_ACCOUNT_USER },
	{ OPT_SEC_ACCOUNT, "server", OPT_ACCOUNT_HOST },
	{ OPT_SEC_ACCOUNT, "folders", OPT_ACCOUNT_WATCH_FOLDERS },
	{ OPT_SEC_UI, "sort_by", OPT_UI_SORT },
};
const size_t opt_nsynonyms = sizeof opt_synonyms / sizeof opt_synonyms[0];
