/* SPDX-License-Identifier: MIT
 * sqlite_backup.c: a consistent copy of a live database (store_sqlite_backup), through SQLite's
 * online backup API. */
#include <string.h>
#include <unistd.h>

#include "sqlite_int.h"

/* How long a copy waits for a database another process holds for itself (an import in bulk
 * mode takes it), in steps of 100 ms. */
#define BACKUP_BUSY_STEPS 300

/* Copy src to dst in one step: all pages under one read transaction, so the copy is one
 * snapshot (a copy in several steps would restart whenever another connection commits). */
static int copy_all(sqlite3 *dst, sqlite3 *src, int64_t *pages, struct hc_diag *d)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc, tries = 0;
    if (b == NULL) {
        hc_diag_set(d, "", sqlite3_errmsg(dst), NULL);
        return HC_EIO;
    }
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (++tries > BACKUP_BUSY_STEPS)
            break;
        sqlite3_sleep(100);
    }
    *pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        hc_diag_set(d, "", "copy failed: ", sqlite3_errstr(rc));
        return HC_EIO;
    }
    return HC_OK;
}

/* PRAGMA integrity_check on db: HC_OK when it says "ok". */
static int check_copy(sqlite3 *db, struct hc_diag *d)
{
    sqlite3_stmt *q = NULL;
    int ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL &&
             strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
    sqlite3_finalize(q);
    if (!ok)
        hc_diag_set(d, "", "the copy fails PRAGMA integrity_check", NULL);
    return ok ? HC_OK : HC_EIO;
}

int store_sqlite_backup(const char *path, const char *out, int64_t *pages, struct hc_diag *d)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc;

    *pages = 0;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        hc_diag_set(d, path, src != NULL ? sqlite3_errmsg(src) : "cannot open", NULL);
        sqlite3_close(src);
        return HC_EIO;
    }
    sqlite3_busy_timeout(src, SQ_BUSY_MS);
    if ((rc = sq_create_private(out, 1, d)) != HC_OK) {
        sqlite3_close(src);
        return rc;
    }
    if (sqlite3_open_v2(out, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        hc_diag_set(d, out, dst != NULL ? sqlite3_errmsg(dst) : "cannot open", NULL);
        rc = HC_EIO;
    } else {
        rc = copy_all(dst, src, pages, d);
        if (rc == HC_OK)
            rc = check_copy(dst, d);
    }
    sqlite3_close(dst);
    sqlite3_close(src);
    if (rc != HC_OK)
        unlink(out);
    return rc;
}
