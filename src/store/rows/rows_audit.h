/* SPDX-License-Identifier: MIT
 * rows_audit.h: audit log entries and the report of a chain verification, as holdcheck's layers
 * pass them around. Types only: the operations on them are store_audit.h's, which includes this
 * header. Code that must not call the store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_AUDIT_H
#define HC_ROWS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct store_audit_report {
    int64_t entries;   /* rows checked */
    int64_t bad_seq;   /* first row that fails, 0 when the chain is intact */
    char reason[128];  /* why bad_seq fails */
    char head[65];     /* hex hash of the last entry ("" when empty) */
};

struct store_audit_entry {
    int64_t seq;
    const char *at, *actor, *action, *entity;
    const char *payload; /* compact JSON */
    const char *hash;
};

#endif
