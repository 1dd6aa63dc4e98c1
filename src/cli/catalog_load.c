/* SPDX-License-Identifier: MIT
 * catalog_load.c: load the offense catalog for the command-line tools and the server. */
#include "catalog_builtin.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void *catalog_mem;
static struct {
    char *text[64];
    char *name[64];
    size_t n;
} loaded;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every *.tsv in dir (sorted by name) into loaded. */
static int read_dir(const char *dir, struct hc_memfile *src, size_t *n, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[64];
    size_t k = 0, i;
    if (d == NULL)
        return 0; /* a missing subdirectory is simply empty */
    while ((e = readdir(d)) != NULL && k < 64) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".tsv") == 0)
            names[k++] = cli_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, k, sizeof names[0], cmp_str);
    for (i = 0; i < k; i++) {
        char path[4096];
        size_t len;
        char *text;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        free(names[i]);
        if (cli_read_file(path, &text, &len) != 0 || *n >= cap)
            return -1;
        loaded.text[loaded.n] = text;
        loaded.name[loaded.n] = cli_xstrdup(path);
        src[*n].path = loaded.name[loaded.n];
        src[*n].ctype = NULL;
        src[*n].data = (const unsigned char *)text;
        src[*n].len = len;
        loaded.n++;
        (*n)++;
    }
    return 0;
}

int cli_catalog_load(struct hc_catalog *cat, const char *dir)
{
    struct hc_memfile src[64];
    const struct hc_memfile *use = hc_catalog_builtin;
    size_t n = hc_catalog_builtin_n, total;
    struct hc_arena a;
    struct hc_diag d;
    int rc;

    if (dir != NULL) {
        char sub[4096];
        n = 0;
        snprintf(sub, sizeof sub, "%s/ca", dir);
        if (read_dir(sub, src, &n, 64) != 0)
            return HC_EIO;
        snprintf(sub, sizeof sub, "%s/federal", dir);
        if (read_dir(sub, src, &n, 64) != 0)
            return HC_EIO;
        if (n == 0) {
            fprintf(stderr, "holdcheck: %s: no catalog tables (*.tsv under ca/ and federal/)\n", dir);
            return HC_ENOENT;
        }
        use = src;
    }
    total = hc_catalog_arena_bytes(use, n);
    catalog_mem = cli_xmalloc(total);
    hc_arena_init(&a, catalog_mem, total);
    rc = hc_catalog_load(cat, use, n, &a, &d);
    if (rc == HC_EINVAL)
        fprintf(stderr, "holdcheck: catalog %s: %s\n", d.field, d.msg);
    else if (rc != HC_OK)
        fprintf(stderr, "holdcheck: catalog: %s\n", hc_strerror(rc));
    return rc;
}

void cli_catalog_free(void)
{
    size_t i;
    for (i = 0; i < loaded.n; i++) {
        free(loaded.text[i]);
        free(loaded.name[i]);
    }
    loaded.n = 0;
    free(catalog_mem);
    catalog_mem = NULL;
}
