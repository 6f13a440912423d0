/* Writing a finished JSON document, the last step of every JSON-based
 * renderer (render/json.c, render/suite/gradescope.c, the grader's JSON), and the
 * strings of text a program chose that go into one. */
#ifndef FORKLAB_JSON_DOCUMENT_H
#define FORKLAB_JSON_DOCUMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Writes `root` to `out`, indented by 2, with a final newline, and flushes.
 * Takes the reference: `root` is released whatever happens. NULL stands for
 * a document that could not be built. Returns 0, -ENOMEM for NULL, or -EIO
 * when the output could not be written. */
int json_document_write(json_t *root, FILE *out);

/* A JSON string of `length` bytes of text that may not be valid UTF-8 (what
 * a program printed): each bad byte becomes U+FFFD, as JSON strings must be
 * Unicode. NULL text is the empty string. NULL when out of memory. */
json_t *json_string_repaired(const char *text, size_t length);

#endif
