/* SPDX-License-Identifier: ISC */
/* bench-mime: header and MIME figures; filled in with the MIME parser. */
#include "config.h"

#include "bench-msg.h"

void
bench_mime(void)
{
}
