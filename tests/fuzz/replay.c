/* SPDX-License-Identifier: ISC */
/*
 * Replay runner for the libFuzzer targets in ordinary `make check`: link
 * it with one tests/fuzz/fuzz-NAME.c and it feeds every file of the seed
 * corpus through LLVMFuzzerTestOneInput, printing TAP.  With arguments it
 * replays those files instead (e.g. a crash file).  The corpus directory
 * comes from -DREPLAY_CORPUS="tests/fuzz/corpus/NAME", relative to the
 * source tree (PONS_SRCDIR in the environment, else the configured one).
 * A crash or sanitizer report fails the test.
 */
#include "config.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#ifndef REPLAY_CORPUS
#error "define REPLAY_CORPUS"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay(const char *path, int n)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		 chunk[8192];
	size_t		 r;
	uint8_t		*copy;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: cannot open\n", n, path);
		return 1;
	}
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, r);
	fclose(f);
	/* An exact-size copy, so ASan sees reads past the end. */
	copy = malloc(b.len > 0 ? b.len : 1);
	if (copy == NULL) {
		buf_fini(&b);
		return 1;
	}
	if (b.len > 0)
		memcpy(copy, b.data, b.len);
	(void)LLVMFuzzerTestOneInput(copy, b.len);
	free(copy);
	buf_fini(&b);
	printf("ok %d - %s\n", n, strrchr(path, '/') ? strrchr(path, '/') + 1 :
	    path);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char	*src;
	char		 dir[4096], path[8192], **names = NULL;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, i;
	int		 fails = 0;

	if (argc > 1) {
		printf("1..%d\n", argc - 1);
		for (i = 1; i < (size_t)argc; i++)
			fails += replay(argv[i], (int)i);
		return fails != 0;
	}
	if ((src = getenv("PONS_SRCDIR")) == NULL)
		src = PONS_SRCDIR;
	snprintf(dir, sizeof dir, "%s/%s", src, REPLAY_CORPUS);
	if ((d = opendir(dir)) == NULL) {
		printf("1..1\nnot ok 1 - cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			return 1;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		fails += replay(path, (int)i + 1);
		free(names[i]);
	}
	free(names);
	return fails != 0;
}
