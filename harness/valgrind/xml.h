/* The parser of valgrind's XML output (protocols 4 to 6): memcheck's leak
 * errors and, from valgrind 3.24 on, the FdBadClose and FdNotClosed errors. */
#ifndef FORKLAB_VALGRIND_XML_H
#define FORKLAB_VALGRIND_XML_H

#include "valgrind/output.h"

#include <stddef.h>

/* Adds the process that one XML file (text, length bytes) describes to
 * `output`. Returns 0; -EBADMSG with a reason in `why` for output that is
 * not valgrind's, malformed or truncated (what was read before the damage
 * stays in `output`), or that holds more than one document (valgrind 3.19,
 * given both --log-file and --xml-file, writes a forked child's XML into its
 * parent's file, where the two cannot be told apart); -ENOMEM. */
int valgrind_xml_parse(const char *text, size_t length, struct valgrind_output *output, char *why,
                       size_t why_size);

#endif
