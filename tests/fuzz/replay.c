/* SPDX-License-Identifier: ISC */
/*
 * Replay runner: runs every file named on the command line (or every file
 * of the directory REPLAY_CORPUS when there are none) through the fuzz
 * target's LLVMFuzzerTestOneInput, printing TAP.  Lets make check exercise
 * each seed corpus without libFuzzer.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path, int n)
{
	FILE		*f;
	uint8_t		*data = NULL;
	size_t		 len = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: cannot open\n", n, path);
		return 1;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			if ((data = realloc(data, cap)) == NULL) {
				fclose(f);
				printf("not ok %d - %s: out of memory\n", n, path);
				return 1;
			}
		}
		got = fread(data + len, 1, cap - len, f);
		if (got == 0)
			break;
		len += got;
	}
	fclose(f);
	(void)LLVMFuzzerTestOneInput(data, len);
	free(data);
	printf("ok %d - %s\n", n, path);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char	*dir = NULL;
	char		**names = NULL, path[4096];
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, i;
	int		 failed = 0;

#ifdef REPLAY_CORPUS
	dir = REPLAY_CORPUS;
#endif
	if (argc > 1) {
		printf("1..%d\n", argc - 1);
		for (i = 1; i < (size_t)argc; i++)
			failed |= replay_file(argv[i], (int)i);
		return failed;
	}
	if (dir == NULL || (d = opendir(dir)) == NULL) {
		printf("1..0 # SKIP no corpus\n");
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof *names)) == NULL ||
		    (names[n] = strdup(de->d_name)) == NULL)
			return 1;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		failed |= replay_file(path, (int)i + 1);
		free(names[i]);
	}
	free(names);
	return failed;
}
