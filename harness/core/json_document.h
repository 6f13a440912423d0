/* Writing a finished JSON document, the last step of every JSON-based
 * renderer (render/json.c, render/gradescope.c and their grader twins). */
#ifndef FORKLAB_JSON_DOCUMENT_H
#define FORKLAB_JSON_DOCUMENT_H

#include <jansson.h>
#include <stdio.h>

/* Writes `root` to `out`, indented by 2, with a final newline, and flushes.
 * Takes the reference: `root` is released whatever happens. NULL stands for
 * a document that could not be built. Returns 0, -ENOMEM for NULL, or -EIO
 * when the output could not be written. */
int json_document_write(json_t *root, FILE *out);

#endif
