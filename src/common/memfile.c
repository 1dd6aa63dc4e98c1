/* SPDX-License-Identifier: MIT
 * memfile.c: looking up a file in a table of them (memfile.h). */
#include <string.h>

#include "memfile.h"

const struct hc_memfile *hc_memfile_find(const struct hc_memfile *table, size_t n,
                                          const char *path)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* tools/embed.sh sorts by path (LC_ALL=C): a binary search */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, table[mid].path);
        if (c == 0)
            return &table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
