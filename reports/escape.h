/*
 * escape.h - text from a results file made safe for where it goes: markdown (prose and table
 * cells), markdown code spans, HTML, and gnuplot strings.  A results file may come from anyone; its
 * words are data, never markup or commands.
 */
#ifndef RF_ESCAPE_H
#define RF_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s as markdown text: control characters become spaces, and the characters markdown or
 * HTML would act on (\ ` * _ [ ] < > | ~ &) are backslash-escaped. */
void rp_md_text(FILE *out, const char *s);
/* Writes s as a markdown code span: fenced by more backticks than any run inside it, control
 * characters as spaces, and '|' escaped where the span is in a table cell. */
void rp_md_code(FILE *out, const char *s, int in_table);
/* Writes s as HTML text, fit for an element or a quoted attribute: control characters become
 * spaces, & < > " ' entities. */
void rp_html_text(FILE *out, const char *s);
/* s as a gnuplot single-quoted string, quotes included, for a title or label: control
 * characters as spaces, quotes doubled, enhanced-text specials (_ ^ @ & ~ { } \) escaped.
 * Truncated to fit n. */
void rp_gp_string(const char *s, char *out, size_t n);

#endif
