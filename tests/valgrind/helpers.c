/* Helpers of the valgrind tests: reading recorded outputs and finding things
 * in a report. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *read_recorded(const char *name, size_t *length)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/tests/valgrind/data/%s", FORKLAB_SOURCE_DIR, name);
    FILE *file = fopen(path, "rb");
    cr_assert_not_null(file, "cannot open %s", path);
    char *text = NULL;
    size_t size = 0;
    FILE *copy = open_memstream(&text, &size);
    cr_assert_not_null(copy);
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0)
        fwrite(buffer, 1, n, copy);
    fclose(file);
    cr_assert_eq(fclose(copy), 0);
    *length = size;
    return text;
}

const char *fixture_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/fixtures/%s", FORKLAB_PLAIN_DIR, name);
    return path;
}

struct check_options test_options(char *const *argv)
{
    return (struct check_options){
        .argv = argv,
        .timeout_ms = CHECK_DEFAULT_TIMEOUT_MS,
        .max_procs = CHECK_DEFAULT_MAX_PROCS,
        .valgrind = true,
        .output_cap = CHECK_DEFAULT_OUTPUT_CAP,
    };
}

struct valgrind_target test_target(const struct check_options *options)
{
    return (struct valgrind_target){.argv = options->argv,
                                    .timeout_ms = options->timeout_ms,
                                    .stdin_path = options->stdin_path,
                                    .allowed_fds = options->allowed_fds,
                                    .allowed_fd_count = options->allowed_fd_count};
}

const struct finding *nth_finding(const struct report *report, enum finding_kind kind, size_t index)
{
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == kind && index-- == 0)
            return &report->findings[i];
    return NULL;
}

const char *json_base_name(json_t *value)
{
    const char *text = json_string_value(value);
    if (text == NULL)
        return "";
    const char *slash = strrchr(text, '/');
    return slash != NULL ? slash + 1 : text;
}

const struct finding *fd_finding(const struct report *report, enum finding_kind kind, int fd,
                                 const char *program)
{
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        json_t *evidence = finding->evidence;
        if (finding->kind == kind && json_integer_value(json_object_get(evidence, "fd")) == fd &&
            strcmp(json_base_name(json_object_get(evidence, "program")), program) == 0)
            return finding;
    }
    return NULL;
}

bool report_has_check(const struct report *report, const char *check)
{
    for (size_t i = 0; i < report->check_count; i++)
        if (strcmp(report->checks[i], check) == 0)
            return true;
    return false;
}

bool report_has_check_prefix(const struct report *report, const char *prefix)
{
    for (size_t i = 0; i < report->check_count; i++)
        if (strncmp(report->checks[i], prefix, strlen(prefix)) == 0)
            return true;
    return false;
}

const char *joined_strings(json_t *array)
{
    static char text[256];
    text[0] = '\0';
    size_t index;
    json_t *value;
    json_array_foreach(array, index, value)
    {
        if (index > 0)
            strncat(text, ",", sizeof(text) - strlen(text) - 1);
        strncat(text, json_string_value(value) ? json_string_value(value) : "?",
                sizeof(text) - strlen(text) - 1);
    }
    return text;
}
