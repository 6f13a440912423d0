/* Text made safe for XML, for the XML writer (render/suite/xml_writer.c) and any
 * other XML or HTML forklab writes: whatever bytes
 * a program prints, the document stays well-formed. */
#ifndef FORKLAB_XML_ESCAPE_H
#define FORKLAB_XML_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes `length` bytes of `text` escaped for an element or, when
 * `in_attribute`, for a double-quoted attribute value. */
void xml_put_escaped(FILE *out, const char *text, size_t length, bool in_attribute);

#endif
