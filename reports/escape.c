/*
 * escape.c - markdown and gnuplot escaping (escape.h).
 */
#include <string.h>

#include "escape.h"

void rp_md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 32 || c == 127)
            fputc(' ', out);
        else if (strchr("\\`*_[]<>|~&", c))
            fprintf(out, "\\%c", c);
        else
            fputc(c, out);
    }
}

void rp_md_code(FILE *out, const char *s, int in_table)
{
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    /* A span that starts or ends with a backtick needs a space inside its fence. */
    int pad = longest > 0;
    for (size_t i = 0; i <= longest; i++)
        fputc('`', out);
    if (pad)
        fputc(' ', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 32 || c == 127)
            fputc(' ', out);
        else if (c == '|' && in_table) /* GFM splits cells on '|' even inside code */
            fputs("\\|", out);
        else
            fputc(c, out);
    }
    if (pad)
        fputc(' ', out);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', out);
}

void rp_gp_string(const char *s, char *out, size_t n)
{
    size_t o = 0;
    if (n < 3) {
        if (n)
            out[0] = '\0';
        return;
    }
    out[o++] = '\'';
    for (; *s && o + 4 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 32 || c == 127) {
            out[o++] = ' ';
        } else if (c == '\'') {
            out[o++] = '\'';
            out[o++] = '\'';
        } else {
            if (strchr("_^@&~{}\\", c))
                out[o++] = '\\';
            out[o++] = (char)c;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

void rp_html_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 32 || c == 127)
            fputc(' ', out);
        else if (c == '&')
            fputs("&amp;", out);
        else if (c == '<')
            fputs("&lt;", out);
        else if (c == '>')
            fputs("&gt;", out);
        else if (c == '"')
            fputs("&quot;", out);
        else if (c == '\'')
            fputs("&#39;", out);
        else
            fputc(c, out);
    }
}
