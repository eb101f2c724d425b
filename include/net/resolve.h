/* SPDX-License-Identifier: ISC */
/*
 * resolve.h: name resolution that never blocks the loop.  getaddrinfo()
 * runs in a short-lived helper thread; the result comes back over a
 * socketpair that the loop watches.  IP literals are converted at once
 * (no thread) and delivered on the next pass.
 */
#ifndef PONS_NET_RESOLVE_H
#define PONS_NET_RESOLVE_H

#include "util/err.h"

struct addrinfo;
struct loop;
struct resolve;

/*
 * Called once from the loop.  On success ai is the getaddrinfo() list
 * (IPv6 and IPv4, TCP) and belongs to the callee: freeaddrinfo() it; e is
 * NULL.  On failure ai is NULL and e (borrowed) has class ERR_TEMP and a
 * message naming the host.  The handle is freed after the call returns.
 */
typedef void (*resolve_cb)(struct addrinfo *ai, const struct err *e,
    void *arg);

/*
 * Look up host and port (service name or number).  Strings are copied.
 * Returns a handle owned by the loop until cb is called or
 * resolve_cancel() is; never NULL.
 */
struct resolve	*resolve_start(struct loop *, const char *host,
		    const char *port, resolve_cb, void *arg);
/*
 * Forget a lookup: cb will not be called.  A helper thread still inside
 * getaddrinfo() finishes on its own and frees what it holds.  NULL ok.
 */
void		 resolve_cancel(struct resolve *);

#endif
