/* SPDX-License-Identifier: ISC */
/* Error objects: class plus one line of text; see err.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

static const char *err_class_names[] = {
	"none", "temp", "auth", "proto", "tls", "refused", "local", "input",
	"limit",
};

int
err_set(struct err *e, enum err_class cls, const char *fmt, ...)
{
	va_list	 ap;

	if (e == NULL)
		return -1;
	e->cls = cls;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_sys(struct err *e, enum err_class cls, const char *fmt, ...)
{
	int	 saved = errno;
	size_t	 n;
	va_list	 ap;

	if (e == NULL)
		return -1;
	e->cls = cls;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	return -1;
}

void
err_clear(struct err *e)
{
	e->cls = ERR_NONE;
	e->msg[0] = '\0';
}

const char *
err_class_name(enum err_class cls)
{
	if ((size_t)cls >= sizeof err_class_names / sizeof err_class_names[0])
		return "unknown";
	return err_class_names[cls];
}
