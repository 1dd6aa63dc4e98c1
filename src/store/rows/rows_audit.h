/* SPDX-License-Identifier: MIT
 * rows_audit.h: audit log entries and the report of a chain verification, as holdcheck's layers
 * pass them around. Types only: the operations on them are store_audit.h's, which includes this
 * header. Code that must not call the store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_AUDIT_H
#define HC_ROWS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

/* How a row of a bound table disagrees with the audit chain (docs/server.md, "Rows bound into
 * the chain"). */
enum store_audit_row_problem {
    STORE_AUDIT_ROW_UNBOUND = 1, /* no entry binds the row: written around the store */
    STORE_AUDIT_ROW_CHANGED,     /* its content is not what its latest binding says */
    STORE_AUDIT_ROW_DELETED      /* an entry binds it, and there is no such row */
};

/* The first rows of a verification that disagree with the chain. */
#define STORE_AUDIT_ROWS_MAX 64

struct store_audit_row {
    char table[32];
    int64_t id;
    int64_t seq; /* the latest entry binding the row, 0 when none */
    enum store_audit_row_problem problem;
};

struct store_audit_report {
    int64_t entries;   /* rows checked */
    int64_t bad_seq;   /* first row that fails, 0 when the chain is intact */
    char reason[128];  /* why bad_seq fails */
    char head[65];     /* hex hash of the last entry ("" when empty) */
    /* The records the chain vouches for, checked only when the chain is intact. */
    int rows_checked;           /* 1 when they were */
    int64_t bound_rows;         /* rows of bound tables read */
    int64_t row_problems;       /* rows that disagree with the chain (0: all agree) */
    size_t nrows;               /* the first of them, in row[] */
    struct store_audit_row row[STORE_AUDIT_ROWS_MAX];
};

struct store_audit_entry {
    int64_t seq;
    const char *at, *actor, *action, *entity;
    const char *payload; /* compact JSON */
    const char *hash;
};

#endif
