/* Shared by the valgrind tests: recorded outputs, fixture paths, and the
 * findings of a report looked up by kind and evidence. */
#ifndef FORKLAB_TEST_VALGRIND_HELPERS_H
#define FORKLAB_TEST_VALGRIND_HELPERS_H

#include "check/check.h"
#include "core/report.h"
#include "valgrind/valgrind.h"

#include <stddef.h>

/* The contents of tests/valgrind/data/NAME (NUL-terminated; *length without it). */
char *read_recorded(const char *name, size_t *length);

/* The path of a built fixture, e.g. fixture_path("vg-leak"); static storage. */
const char *fixture_path(const char *name);

/* The options of a check of argv with the CLI's defaults. */
struct check_options test_options(char *const *argv);
/* The valgrind pass's target of a check with those options. */
struct valgrind_target test_target(const struct check_options *options);

/* The index-th finding of `kind` (0-based), or NULL. */
const struct finding *nth_finding(const struct report *report, enum finding_kind kind,
                                  size_t index);
/* The finding of `kind` about descriptor `fd` in a program named `program`
 * (basename), or NULL. */
const struct finding *fd_finding(const struct report *report, enum finding_kind kind, int fd,
                                 const char *program);
/* True when the report lists exactly this check. */
bool report_has_check(const struct report *report, const char *check);
/* True when a check starts with `prefix`. */
bool report_has_check_prefix(const struct report *report, const char *prefix);
/* The strings of a JSON array joined with ',' ("trace,valgrind"); static storage. */
const char *joined_strings(json_t *array);
/* The basename of a JSON string value, or "" when it is not a string. */
const char *json_base_name(json_t *value);

#endif
