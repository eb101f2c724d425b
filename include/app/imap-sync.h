/* SPDX-License-Identifier: ISC */
/*
 * imap-sync.h: the "pons imap-sync" batch command: connect an IMAP account,
 * bring a mailbox's cache in step, optionally act on it and watch it live,
 * printing one sanitised line per event.
 */
#ifndef PONS_APP_IMAP_SYNC_H
#define PONS_APP_IMAP_SYNC_H

struct conf;

/*
 * argv[0] is "imap-sync".  Options: -l (list mailboxes), -w SECONDS
 * (watch after opening), -x "store UIDS +FLAGS" | "expunge UIDS" |
 * "move UIDS MAILBOX" | "copy UIDS MAILBOX" (repeatable, run in order once
 * open), -C (no cache), -R SECONDS (IDLE restart, for tests), -T (each
 * line starts with the milliseconds since the start), -q (no line per
 * message, only the first cached row), then the
 * mailbox (default INBOX).  Uses the
 * default account of c.  Returns the exit status.
 */
int	 imap_sync_main(struct conf *c, int argc, char **argv);

#endif
