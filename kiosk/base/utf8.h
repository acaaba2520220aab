/* utf8.h - small UTF-8 helpers shared by the parsers and the text layout. */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s[0..len). Returns its byte length (1..4) and
 * stores it in *cp; on malformed input (overlong, surrogate, > U+10FFFF,
 * truncated) returns 1 and stores U+FFFD, so callers always make progress. */
size_t utf8_next(const char *s, size_t len, uint32_t *cp);

/* 1 when s[0..len) is valid UTF-8; else 0 and *bad_at (if not NULL) gets the
 * offset of the first bad byte. */
int utf8_valid(const char *s, size_t len, size_t *bad_at);

/* Encodes cp into out (at least 4 bytes); returns the length, 0 if invalid. */
size_t utf8_put(uint32_t cp, char *out);

#endif
