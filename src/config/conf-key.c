/* SPDX-License-Identifier: ISC */
/*
 * Key names as written in [keys.SCREEN] sections: "d", "\#", "C-l",
 * "M-x", "C-M-<Left>", "<PageDown>", "<F1>", or one UTF-8 character.
 * Parsing only: which action a key runs is the UI's business.
 */
#include "config.h"

#include <string.h>

#include "config/conf.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"

static const struct {
	const char		*name;
	enum conf_key_name	 key;
} conf_key_names[] = {
	{ "Up", CONF_KEY_UP }, { "Down", CONF_KEY_DOWN },
	{ "Left", CONF_KEY_LEFT }, { "Right", CONF_KEY_RIGHT },
	{ "PageUp", CONF_KEY_PAGEUP }, { "PageDown", CONF_KEY_PAGEDOWN },
	{ "Home", CONF_KEY_HOME }, { "End", CONF_KEY_END },
	{ "Insert", CONF_KEY_INSERT }, { "Delete", CONF_KEY_DELETE },
	{ "Backspace", CONF_KEY_BACKSPACE }, { "Enter", CONF_KEY_ENTER },
	{ "Return", CONF_KEY_ENTER }, { "Tab", CONF_KEY_TAB },
	{ "BackTab", CONF_KEY_BACKTAB }, { "Escape", CONF_KEY_ESCAPE },
	{ "Esc", CONF_KEY_ESCAPE }, { "Space", CONF_KEY_SPACE },
	{ "PgUp", CONF_KEY_PAGEUP }, { "PgDn", CONF_KEY_PAGEDOWN },
	{ "Del", CONF_KEY_DELETE },
};

/* Characters written with a backslash so the file parser reads them back. */
static const char conf_key_special[] = "#;[=\\\"";

/* Decode one UTF-8 character; returns its length or 0 if invalid. */
static size_t
conf_key_utf8(const unsigned char *p, size_t len, unsigned int *cp)
{
	size_t		 n, i;
	unsigned int	 c;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
conf_key_named(const char *p, size_t len, struct conf_keyspec *ks,
    struct buf *norm, struct err *e, const char *text)
{
	uint64_t	 fn;
	size_t		 i;

	if ((p[0] == 'F' || p[0] == 'f') && len >= 2 &&
	    str_to_u64(p + 1, len - 1, 24, &fn) && fn >= 1) {
		ks->name = CONF_KEY_F;
		ks->fn = (int)fn;
		if (norm != NULL)
			buf_printf(norm, "<F%d>", ks->fn);
		return 0;
	}
	for (i = 0; i < sizeof conf_key_names / sizeof conf_key_names[0];
	    i++) {
		if (!str_eq_ci(p, len, conf_key_names[i].name))
			continue;
		ks->name = conf_key_names[i].key;
		/* Normalise to the first spelling of this key. */
		for (i = 0; conf_key_names[i].key != ks->name; i++)
			;
		if (norm != NULL)
			buf_printf(norm, "<%s>", conf_key_names[i].name);
		return 0;
	}
	return err_set(e, ERR_INPUT, "bad key \"%s\": unknown key name <%.*s>",
	    text, (int)len, p);
}

int
conf_key_parse(const char *text, struct conf_keyspec *ks, struct buf *norm,
    struct err *e)
{
	const char	*p = text, *close;
	size_t		 len, n;
	struct buf	 tmp = BUF_INIT;
	int		 rv = 0;

	memset(ks, 0, sizeof *ks);
	for (;;) {
		if ((p[0] == 'C' || p[0] == 'M') && p[1] == '-' &&
		    p[2] != '\0') {
			if (p[0] == 'C')
				ks->ctrl = true;
			else
				ks->meta = true;
			p += 2;
			continue;
		}
		break;
	}
	len = strlen(p);
	if (len == 0)
		return err_set(e, ERR_INPUT, "bad key \"%s\": no key", text);
	if (*p == '<' && len > 2 && (close = strchr(p, '>')) != NULL) {
		if (close[1] != '\0')
			return err_set(e, ERR_INPUT,
			    "bad key \"%s\": text after >", text);
		rv = conf_key_named(p + 1, (size_t)(close - p - 1), ks, &tmp,
		    e, text);
	} else {
		if (*p == '\\' && len == 2 && (unsigned char)p[1] > 0x20 &&
		    (unsigned char)p[1] < 0x7f)
			p++, len--;
		n = conf_key_utf8((const unsigned char *)p, len, &ks->ch);
		if (n == 0 || n != len)
			rv = err_set(e, ERR_INPUT, "bad key \"%s\": one key "
			    "expected, like d, C-l, M-x, <PageDown> or <F1>",
			    text);
		else if (ks->ch <= 0x20 || ks->ch == 0x7f)
			rv = err_set(e, ERR_INPUT, "bad key \"%s\": write "
			    "control keys as C-x and space as <Space>", text);
		else if (ks->ctrl && !((ks->ch >= 'a' && ks->ch <= 'z') ||
		    (ks->ch >= 'A' && ks->ch <= 'Z') ||
		    strchr("@[\\]^_?", (int)ks->ch) != NULL))
			rv = err_set(e, ERR_INPUT, "bad key \"%s\": C- goes "
			    "with a letter or one of @[\\]^_?", text);
		else {
			if (ks->ctrl && ks->ch >= 'A' && ks->ch <= 'Z')
				ks->ch += 'a' - 'A';
			if (ks->ch < 0x80 &&
			    strchr(conf_key_special, (int)ks->ch) != NULL)
				buf_add_byte(&tmp, '\\');
			buf_add(&tmp, p, n);
			if (ks->ctrl && p[0] >= 'A' && p[0] <= 'Z')
				tmp.data[tmp.len - 1] += 'a' - 'A';
		}
	}
	if (rv == 0 && norm != NULL)
		buf_printf(norm, "%s%s%s", ks->ctrl ? "C-" : "",
		    ks->meta ? "M-" : "", buf_str(&tmp));
	buf_fini(&tmp);
	return rv;
}
