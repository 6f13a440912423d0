/* One way to write a JSON document, so `forklab check --format json` and the
 * grader's JSON formats end the same way: indented, newline, flushed. */
#include "core/write/json_document.h"

#include "core/write/utf8.h"

#include <errno.h>
#include <stdlib.h>

int json_document_write(json_t *root, FILE *out)
{
    /* A renderer builds its document with json_pack, which returns NULL when
     * out of memory: taking NULL here spares every caller that test. */
    if (root == NULL)
        return -ENOMEM;
    int failed = json_dumpf(root, out, JSON_INDENT(2));
    json_decref(root);
    if (failed || fputc('\n', out) == EOF || fflush(out) == EOF)
        return -EIO;
    return 0;
}

json_t *json_string_repaired(const char *text, size_t length)
{
    size_t repaired_length;
    char *repaired =
        utf8_repair(text != NULL ? text : "", text != NULL ? length : 0, &repaired_length);
    if (repaired == NULL)
        return NULL;
    json_t *string = json_stringn(repaired, repaired_length);
    free(repaired);
    return string;
}
