/* SPDX-License-Identifier: ISC */
/*
 * Run fuzz corpus files through a libFuzzer entry point without libFuzzer,
 * so every seed and every input that once crashed is replayed by an
 * ordinary `make check`.  Arguments are files or directories; with none,
 * the directory REPLAY_CORPUS given at build time (absolute, or relative
 * to the source tree named by PONS_SRCDIR).  Prints TAP.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 replay_count;

static int
replay_file(const char *path)
{
	FILE		*fp;
	uint8_t		*p = NULL, *q;
	size_t		 len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: cannot open\n", ++replay_count, path);
		return 1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((p = realloc(p, cap)) == NULL)
				abort();
		}
		if ((n = fread(p + len, 1, cap - len, fp)) == 0)
			break;
		len += n;
	}
	fclose(fp);
	/* An exact-size copy, so ASan sees a read past the end. */
	if ((q = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(q, p, len);
	free(p);
	LLVMFuzzerTestOneInput(q, len);
	free(q);
	printf("ok %d - %s\n", ++replay_count, path);
	return 0;
}

static int
replay_path(const char *path)
{
	struct dirent	**names;
	struct stat	  st;
	char		 *sub;
	int		  i, n, rc = 0;

	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((n = scandir(path, &names, NULL, alphasort)) == -1) {
		printf("not ok %d - %s: cannot list\n", ++replay_count, path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			if ((sub = malloc(strlen(path) +
			    strlen(names[i]->d_name) + 2)) == NULL)
				abort();
			sprintf(sub, "%s/%s", path, names[i]->d_name);
			rc |= replay_path(sub);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

#ifdef REPLAY_CORPUS
static int
replay_corpus(const char *dir)
{
	const char	*top = getenv("PONS_SRCDIR");
	char		*path;
	int		 rc;

	if (dir[0] == '/' || top == NULL)
		return replay_path(dir);
	if ((path = malloc(strlen(top) + strlen(dir) + 2)) == NULL)
		abort();
	sprintf(path, "%s/%s", top, dir);
	rc = replay_path(path);
	free(path);
	return rc;
}
#endif

int
main(int argc, char **argv)
{
	int	 i, rc = 0;

	if (argc < 2) {
#ifdef REPLAY_CORPUS
		rc = replay_corpus(REPLAY_CORPUS);
#endif
	} else
		for (i = 1; i < argc; i++)
			rc |= replay_path(argv[i]);
	printf("1..%d\n", replay_count);
	return rc;
}
