/* A small XML writer for the JUnit format: elements, attributes and text,
 * every value through the one escaper (render/suite/xml_escape.c), each element on
 * its own line. Element and attribute names are the caller's constants;
 * values may be anything a program printed. */
#ifndef FORKLAB_XML_WRITER_H
#define FORKLAB_XML_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define XML_WRITER_DEPTH 8

struct xml_writer {
    FILE *out;
    int depth;                           /* elements open */
    const char *open[XML_WRITER_DEPTH];  /* their names */
    bool has_elements[XML_WRITER_DEPTH]; /* an element was written inside it */
    bool in_start_tag;                   /* "<name ..." written, its '>' not yet */
};

/* Starts a document on `out` with its XML declaration. */
void xml_writer_begin(struct xml_writer *writer, FILE *out);
/* Opens an element inside the current one (at most XML_WRITER_DEPTH deep). */
void xml_start(struct xml_writer *writer, const char *element);
/* An attribute of the element just opened, before any content. */
void xml_attribute(struct xml_writer *writer, const char *name, const char *value);
/* `length` bytes of text inside the current element. */
void xml_text(struct xml_writer *writer, const char *text, size_t length);
/* Closes the current element: "<name/>" when it holds nothing. */
void xml_end(struct xml_writer *writer);

#endif
