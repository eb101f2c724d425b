/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "corpus.h"

const char *
test_corpus_dir(void)
{
	static const char *const dirs[] = { PONS_SRCDIR "/../shared/corpus",
	    PONS_SRCDIR "/../../shared/corpus" };
	static char	 path[4096];
	const char	*env;
	FILE		*f;
	size_t		 i;

	if ((env = getenv("PONS_CORPUS")) != NULL)
		return env;
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/MANIFEST.tsv", dirs[i]);
		if ((f = fopen(path, "r")) != NULL) {
			fclose(f);
			return dirs[i];
		}
	}
	return NULL;
}

char *
test_corpus_slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    (p = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	*len = fread(p, 1, (size_t)n, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}
