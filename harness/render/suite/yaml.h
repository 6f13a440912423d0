/* YAML for TAP diagnostics, the one consumer that needs it (TAP version 13
 * carries a failure's data as a YAML block that TAP::Parser reads back). */
#ifndef FORKLAB_YAML_H
#define FORKLAB_YAML_H

#include <jansson.h>
#include <stdio.h>

/* Writes a JSON object as a YAML block mapping, `indent` spaces deep, in the
 * subset of YAML that both TAP::Parser's YAMLish reader and full YAML parsers
 * read: block mappings and sequences, double-quoted strings. Every character
 * the terminal escaping hides (core/write/visible_text.h) is a YAML escape. */
void yaml_write_mapping(FILE *out, const json_t *object, int indent);

#endif
