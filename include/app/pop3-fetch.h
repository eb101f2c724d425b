/* SPDX-License-Identifier: ISC */
/*
 * pop3-fetch.h: one download of one POP3 account into its spool: the glue
 * between a net/ conn, a pop3/ session and the store/ spool, driven by the
 * loop.  Used by `pons fetch` and by the interactive client.
 *
 * Order of things (DESIGN "Nothing is lost"): RETR is pipelined; complete
 * messages are committed to the spool in batches; a DELE is sent only for
 * a message spool_is_durable() confirms, and only when the policy says
 * so; the spool forgets a UIDL only after the server answered QUIT.
 */
#ifndef PONS_APP_POP3_FETCH_H
#define PONS_APP_POP3_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pop3/pop3.h"
#include "store/spool.h"
#include "util/err.h"

struct loop;
struct pop3_fetch;

struct pop3_fetch_params {
	const char		*name;		/* account, for messages */
	const char		*host;
	const char		*port;
	enum pop3_tls_mode	 tls;
	const char		*ca_file;	/* NULL: system store */
	const char		*user;
	const char		*password;	/* copied, wiped on free */
	/*
	 * With password NULL: run by a thread (account_password_run())
	 * while the connection and TLS are set up; the login waits for it.
	 */
	const char		*password_command;
	bool			 allow_plaintext;
	enum pop3_auth_mode	 auth;
	const char		*spool;		/* Maildir path */
	struct spool_policy	 policy;
	uint64_t		 size_limit;	/* bytes; 0: none */
	unsigned int		 timeout_ms;	/* per response */
	time_t			 now;		/* for delete_after_days */
	/* a commit takes what arrived while the last one ran; receiving */
	unsigned int		 batch_msgs;	/* waits at 2N pending; 0: 512 */
	uint64_t		 batch_bytes;	/* ... or B bytes; 0: 32 MiB */
	unsigned int		 test_stop_after; /* spool_set_stop_after */
};

struct pop3_fetch_result {
	size_t		 listed;	/* messages on the server */
	size_t		 queued;	/* RETRs asked for (progress: of n) */
	uint64_t	 queued_bytes;	/* their LIST sizes */
	size_t		 fetched;	/* new messages stored */
	size_t		 committed;	/* ... of them durable in new/ */
	size_t		 dups;		/* downloaded, found already held */
	size_t		 skipped_big;	/* over size_limit */
	size_t		 failed;	/* RETR -ERR */
	size_t		 deleted;	/* DELE committed by QUIT */
	size_t		 dele_failed;
	uint64_t	 bytes;		/* stored */
	bool		 no_uidl;	/* the server has no UIDL */
	bool		 ok;		/* the whole fetch succeeded */
	struct err	 err;		/* when !ok */
};

typedef void (*pop3_fetch_done_cb)(struct pop3_fetch *, void *arg);
typedef void (*pop3_fetch_progress_cb)(struct pop3_fetch *, void *arg);

/*
 * Start a fetch on loop.  done is called once, from the loop, when it
 * ended (successfully or not); the result is then final.  Owned by the
 * caller (pop3_fetch_free, which may be called from done).
 */
struct pop3_fetch *pop3_fetch_new(struct loop *,
		    const struct pop3_fetch_params *, pop3_fetch_done_cb,
		    void *arg);
void		 pop3_fetch_free(struct pop3_fetch *);
/*
 * Called (from the loop) after every message that arrived and after every
 * batch committed to new/ (the moment new mail can be shown), so a UI can
 * show "message i of n" from the result.
 */
void		 pop3_fetch_set_progress(struct pop3_fetch *,
		    pop3_fetch_progress_cb, void *arg);
/* Borrowed until pop3_fetch_free. */
const struct pop3_fetch_result *pop3_fetch_result(const struct pop3_fetch *);
bool		 pop3_fetch_is_done(const struct pop3_fetch *);
/* Run a fetch to its end on loop (for `pons fetch`).  0 if it succeeded. */
int		 pop3_fetch_run(struct loop *, const struct pop3_fetch_params *,
		    struct pop3_fetch_result *);

#endif
