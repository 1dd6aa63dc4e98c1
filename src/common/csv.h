/* SPDX-License-Identifier: MIT
 * csv.h: one CSV cell as every CSV export of holdcheck writes it (RFC 4180), made safe to open
 * in a spreadsheet: a cell a spreadsheet would read as a formula is neutralized. */
#ifndef HC_CSV_H
#define HC_CSV_H

#include "buf.h"

/* Whether a cell holding s would be read as a formula (or the start of one) by a spreadsheet:
 * its first byte is '=', '+', '-', '@', a TAB or a CR (OWASP, "CSV Injection"). s may be NULL
 * (no). */
int hc_csv_formula(const char *s);

/* Append s to b as one CSV cell: a cell hc_csv_formula calls a formula gets a leading
 * apostrophe, which spreadsheets show as text; the cell is quoted (quotes doubled) when it
 * holds a comma, a quote, a CR or an LF, or was neutralized; bytes that are not well-formed
 * UTF-8 become U+FFFD. NULL appends nothing (an empty cell). Truncation follows b's rules
 * (b->full). */
void hc_csv_cell(struct hc_buf *b, const char *s);

#endif
