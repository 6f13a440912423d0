/* The XML writer (render/suite/xml_writer.h): it keeps track of which element is
 * open and whether its start tag is finished, so callers write structure,
 * never angle brackets. */
#include "render/suite/xml_writer.h"

#include "render/suite/xml_escape.h"

#include <assert.h>
#include <string.h>

void xml_writer_begin(struct xml_writer *writer, FILE *out)
{
    memset(writer, 0, sizeof(*writer));
    writer->out = out;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
}

void xml_start(struct xml_writer *writer, const char *element)
{
    /* The renderers nest three deep; deeper is a bug in the caller. */
    assert(writer->depth < XML_WRITER_DEPTH);
    if (writer->in_start_tag)
        fputs(">\n", writer->out); /* the parent's first child starts a line */
    writer->in_start_tag = false;
    if (writer->depth > 0)
        writer->has_elements[writer->depth - 1] = true;
    fprintf(writer->out, "%*s<%s", 2 * writer->depth, "", element);
    writer->open[writer->depth] = element;
    writer->has_elements[writer->depth] = false;
    writer->depth++;
    writer->in_start_tag = true;
}

void xml_attribute(struct xml_writer *writer, const char *name, const char *value)
{
    fprintf(writer->out, " %s=\"", name);
    xml_put_escaped(writer->out, value, strlen(value), true);
    fputc('"', writer->out);
}

void xml_text(struct xml_writer *writer, const char *text, size_t length)
{
    if (writer->in_start_tag)
        fputc('>', writer->out);
    writer->in_start_tag = false;
    xml_put_escaped(writer->out, text, length, false);
}

void xml_end(struct xml_writer *writer)
{
    if (writer->depth == 0)
        return;
    writer->depth--;
    if (writer->in_start_tag)
        fputs("/>\n", writer->out);
    else if (writer->has_elements[writer->depth])
        fprintf(writer->out, "%*s</%s>\n", 2 * writer->depth, "", writer->open[writer->depth]);
    else
        fprintf(writer->out, "</%s>\n", writer->open[writer->depth]);
    writer->in_start_tag = false;
}
