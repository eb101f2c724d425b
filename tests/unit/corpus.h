/* SPDX-License-Identifier: ISC */
/*
 * The shared message corpus (../shared/corpus, or $PONS_CORPUS) for the
 * unit tests that read real-world messages.
 */
#ifndef TESTS_UNIT_CORPUS_H
#define TESTS_UNIT_CORPUS_H

#include <stddef.h>

/* The corpus directory (holding MANIFEST.tsv), or NULL if not found. */
const char	*test_corpus_dir(void);

/* The whole file at path, NUL-terminated (the caller frees), or NULL. */
char		*test_corpus_slurp(const char *path, size_t *len);

#endif
