/* Reads pitfalls/manifest.json with jansson and checks every field, so that a
 * typo in the manifest fails loudly here instead of silently in a grader. */
#include "kit/manifest.h"

#include "kit/expected_output.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where an error goes while one manifest is being read. */
struct reader {
    char *why;
    size_t why_size;
};

static int fail(struct reader *reader, int error, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct reader *reader, int error, const char *format, ...)
{
    if (reader->why != NULL && reader->why_size > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(reader->why, reader->why_size, format, args);
        va_end(args);
    }
    return error;
}

/* Copies the string member `key` of `object` into *copy. A missing or null
 * member is an error unless `optional`, when *copy stays NULL. */
static int take_string(struct reader *reader, const char *where, json_t *object, const char *key,
                       bool optional, char **copy, size_t *length)
{
    json_t *value = json_object_get(object, key);
    if (value == NULL || json_is_null(value)) {
        if (optional)
            return 0;
        return fail(reader, -EINVAL, "%s: \"%s\" is missing", where, key);
    }
    if (!json_is_string(value))
        return fail(reader, -EINVAL, "%s: \"%s\" is not a string", where, key);
    size_t size = json_string_length(value);
    *copy = malloc(size + 1);
    if (*copy == NULL)
        return fail(reader, -ENOMEM, "out of memory");
    memcpy(*copy, json_string_value(value), size);
    (*copy)[size] = '\0';
    if (length != NULL)
        *length = size;
    return 0;
}

/* Copies an array of strings into a NULL-terminated vector. */
static int take_strings(struct reader *reader, const char *where, json_t *object, const char *key,
                        char ***strings, size_t *count)
{
    json_t *array = json_object_get(object, key);
    if (!json_is_array(array))
        return fail(reader, -EINVAL, "%s: \"%s\" is not an array", where, key);
    *strings = calloc(json_array_size(array) + 1, sizeof(char *));
    if (*strings == NULL)
        return fail(reader, -ENOMEM, "out of memory");
    size_t index;
    json_t *item;
    json_array_foreach(array, index, item)
    {
        if (!json_is_string(item))
            return fail(reader, -EINVAL, "%s: \"%s\"[%zu] is not a string", where, key, index);
        (*strings)[index] = strdup(json_string_value(item));
        if ((*strings)[index] == NULL)
            return fail(reader, -ENOMEM, "out of memory");
        *count = index + 1;
    }
    return 0;
}

static int take_kind(struct reader *reader, const char *where, json_t *value,
                     enum finding_kind *kind)
{
    int parsed = json_is_string(value) ? finding_kind_from_name(json_string_value(value)) : -1;
    if (parsed < 0)
        return fail(reader, -EINVAL, "%s: %s is not a finding kind", where,
                    json_is_string(value) ? json_string_value(value) : "a non-string");
    *kind = (enum finding_kind)parsed;
    return 0;
}

static const char *const test_names[] = {
    [MANIFEST_TEST_NO_FINDING] = "no_finding",
    [MANIFEST_TEST_NO_FINDINGS] = "no_findings",
    [MANIFEST_TEST_STDOUT] = "stdout",
    [MANIFEST_TEST_EXIT] = "exit",
    [MANIFEST_TEST_NO_COPYING_SPAWN] = "no_copying_spawn",
    [MANIFEST_TEST_FILES] = "files",
    [MANIFEST_TEST_CHILDREN] = "children",
};

const char *manifest_test_name(enum manifest_test test)
{
    return (size_t)test < sizeof(test_names) / sizeof(test_names[0]) ? test_names[test] : "unknown";
}

/* Each behaviour has its own assertion in the tests (tests/pitfalls). */
static const char *const behaviour_names[] = {
    [MANIFEST_BEHAVIOUR_STDOUT_DIFFERS] = "stdout_differs",
    [MANIFEST_BEHAVIOUR_COPYING_SPAWN] = "copying_spawn",
};

/* Reads broken.findings and broken.behaviour. A pitfall no finding shows
 * must name the behaviour that does, or the tests would assert nothing
 * about its broken program and the grader could not tell it from a fix. */
static int read_broken(struct reader *reader, const char *where, json_t *broken,
                       struct manifest_pitfall *pitfall)
{
    json_t *behaviour = json_object_get(broken, "behaviour");
    if (behaviour != NULL) {
        const char *name = json_is_string(behaviour) ? json_string_value(behaviour) : "";
        for (size_t i = 0; i < sizeof(behaviour_names) / sizeof(behaviour_names[0]); i++)
            if (behaviour_names[i] != NULL && strcmp(name, behaviour_names[i]) == 0)
                pitfall->broken_behaviour = (enum manifest_behaviour)i;
        if (pitfall->broken_behaviour == MANIFEST_BEHAVIOUR_NONE)
            return fail(reader, -EINVAL,
                        "%s: broken.behaviour is not a known behaviour (stdout_differs, "
                        "copying_spawn)",
                        where);
    }
    json_t *kinds = json_object_get(broken, "findings");
    if (!json_is_array(kinds))
        return fail(reader, -EINVAL, "%s: broken.findings must be an array of kinds", where);
    if (json_array_size(kinds) == 0 && pitfall->broken_behaviour == MANIFEST_BEHAVIOUR_NONE)
        return fail(reader, -EINVAL,
                    "%s: broken.findings must list at least one kind, or broken.behaviour must "
                    "say what shows the pitfall instead",
                    where);
    size_t index;
    json_t *item;
    json_array_foreach(kinds, index, item)
    {
        enum finding_kind kind;
        int error = take_kind(reader, where, item, &kind);
        if (error < 0)
            return error;
        pitfall->broken_kinds |= 1u << kind;
    }
    return 0;
}

/* A check's "instance": one sort of mistake within its kind. */
static int read_instance(struct reader *reader, const char *where, json_t *object,
                         struct manifest_check *check)
{
    json_t *instance = json_object_get(object, "instance");
    if (instance == NULL)
        return 0;
    if (check->test != MANIFEST_TEST_NO_FINDING)
        return fail(reader, -EINVAL, "%s: check %s: only a no_finding check has an \"instance\"",
                    where, check->id);
    const char *name = json_is_string(instance) ? json_string_value(instance) : "";
    check->instance = finding_instance_find(check->kind, name);
    if (check->instance == NULL) {
        char names[256];
        finding_instance_names(check->kind, names, sizeof(names));
        return fail(reader, -EINVAL, "%s: check %s: \"instance\" is not one of %s's (%s)", where,
                    check->id, finding_kind_name(check->kind), names[0] ? names : "it has none");
    }
    return 0;
}

/* A check's "after_timeout": "zero" (the default) or "folded". */
static int read_after_timeout(struct reader *reader, const char *where, json_t *object,
                              struct manifest_check *check)
{
    json_t *value = json_object_get(object, "after_timeout");
    if (value == NULL)
        return 0;
    const char *name = json_is_string(value) ? json_string_value(value) : "";
    if (strcmp(name, "zero") != 0 && strcmp(name, "folded") != 0)
        return fail(reader, -EINVAL, "%s: check %s: \"after_timeout\" is \"zero\" or \"folded\"",
                    where, check->id);
    check->folded_after_timeout = strcmp(name, "folded") == 0;
    /* Only a leftover child is a consequence that proves nothing else: a
     * program stopped at its time limit never printed its output or chose
     * its exit code, and folding those would give their points for a hang. */
    if (check->folded_after_timeout &&
        (check->test != MANIFEST_TEST_NO_FINDING || check->kind != FINDING_ZOMBIE))
        return fail(reader, -EINVAL,
                    "%s: check %s: only a no_finding check of kind zombie can be folded into "
                    "the timeout's points",
                    where, check->id);
    return 0;
}

/* fixed.stdout_lines and fixed.stdout_patterns: how stdout is compared. */
static int read_stdout_rules(struct reader *reader, const char *where, json_t *fixed,
                             struct manifest_pitfall *pitfall)
{
    json_t *order = json_object_get(fixed, "stdout_lines");
    if (order != NULL) {
        const char *name = json_is_string(order) ? json_string_value(order) : "";
        if (strcmp(name, "unordered") == 0)
            pitfall->stdout_order = MANIFEST_LINES_UNORDERED;
        else if (strcmp(name, "ordered") != 0)
            return fail(reader, -EINVAL, "%s: fixed.stdout_lines is \"ordered\" or \"unordered\"",
                        where);
    }
    if (json_object_get(fixed, "stdout_patterns") != NULL) {
        int error = take_strings(reader, where, fixed, "stdout_patterns", &pitfall->stdout_patterns,
                                 &pitfall->stdout_pattern_count);
        if (error < 0)
            return error;
    }
    /* It writes its reason in the reader's place itself. */
    return expected_output_validate(pitfall, reader->why, reader->why_size);
}

static int read_check(struct reader *reader, const char *where, json_t *object,
                      struct manifest_check *check)
{
    if (!json_is_object(object))
        return fail(reader, -EINVAL, "%s: a check is not an object", where);
    int error = take_string(reader, where, object, "id", false, &check->id, NULL);
    if (error < 0)
        return error;
    const char *test = json_string_value(json_object_get(object, "test"));
    size_t found = sizeof(test_names) / sizeof(test_names[0]);
    for (size_t i = 0; test != NULL && i < sizeof(test_names) / sizeof(test_names[0]); i++)
        if (strcmp(test, test_names[i]) == 0)
            found = i;
    if (found == sizeof(test_names) / sizeof(test_names[0]))
        return fail(reader, -EINVAL, "%s: check %s has no known \"test\"", where, check->id);
    check->test = (enum manifest_test)found;
    if (check->test == MANIFEST_TEST_NO_FINDING) {
        error = take_kind(reader, where, json_object_get(object, "kind"), &check->kind);
        if (error < 0)
            return error;
    }
    if ((error = read_instance(reader, where, object, check)) < 0 ||
        (error = read_after_timeout(reader, where, object, check)) < 0)
        return error;
    json_t *points = json_object_get(object, "points");
    if (!json_is_integer(points) || json_integer_value(points) < 0 ||
        json_integer_value(points) > 1000)
        return fail(reader, -EINVAL, "%s: check %s needs \"points\" from 0 to 1000", where,
                    check->id);
    check->points = (int)json_integer_value(points);
    return 0;
}

static int read_pitfall(struct reader *reader, json_t *object, struct manifest_pitfall *pitfall)
{
    if (!json_is_object(object))
        return fail(reader, -EINVAL, "a pitfall is not an object");
    int error = take_string(reader, "pitfall", object, "name", false, &pitfall->name, NULL);
    if (error < 0)
        return error;
    const char *where = pitfall->name;
    json_t *files = json_object_get(object, "files");
    json_t *run = json_object_get(object, "run");
    json_t *broken = json_object_get(object, "broken");
    json_t *fixed = json_object_get(object, "fixed");
    if (!json_is_object(files) || !json_is_object(run) || !json_is_object(broken) ||
        !json_is_object(fixed))
        return fail(reader, -EINVAL,
                    "%s: \"files\", \"run\", \"broken\" and \"fixed\" must be objects", where);
    if ((error = take_string(reader, where, object, "title", false, &pitfall->title, NULL)) < 0 ||
        (error = take_string(reader, where, object, "task", true, &pitfall->task, NULL)) < 0 ||
        (error = take_string(reader, where, files, "lesson", false, &pitfall->lesson, NULL)) < 0 ||
        (error = take_string(reader, where, files, "broken", false, &pitfall->broken, NULL)) < 0 ||
        (error = take_string(reader, where, files, "fixed", false, &pitfall->fixed, NULL)) < 0 ||
        (error = take_strings(reader, where, run, "args", &pitfall->args, &pitfall->arg_count)) <
            0 ||
        (error = take_string(reader, where, run, "stdin", true, &pitfall->stdin_path, NULL)) < 0 ||
        (error = take_string(reader, where, fixed, "stdout", false, &pitfall->expected_stdout,
                             &pitfall->expected_stdout_length)) < 0 ||
        (error = take_string(reader, where, fixed, "exit_why", true, &pitfall->exit_why, NULL)) <
            0 ||
        (error = take_strings(reader, where, object, "hints", &pitfall->hints,
                              &pitfall->hint_count)) < 0)
        return error;

    json_t *timeout = json_object_get(run, "timeout");
    if (!json_is_number(timeout) || json_number_value(timeout) <= 0 ||
        json_number_value(timeout) > 3600)
        return fail(reader, -EINVAL, "%s: run.timeout must be seconds, above 0 and at most 3600",
                    where);
    pitfall->timeout_ms = (long)(json_number_value(timeout) * 1000);

    json_t *exit_code = json_object_get(fixed, "exit");
    if (!json_is_integer(exit_code) || json_integer_value(exit_code) < 0 ||
        json_integer_value(exit_code) > 255)
        return fail(reader, -EINVAL, "%s: fixed.exit must be an exit code from 0 to 255", where);
    pitfall->expected_exit = (int)json_integer_value(exit_code);

    if ((error = read_broken(reader, where, broken, pitfall)) < 0 ||
        (error = read_stdout_rules(reader, where, fixed, pitfall)) < 0 ||
        (error = manifest_sessions_read(json_object_get(object, "sessions"), pitfall, reader->why,
                                        reader->why_size)) < 0)
        return error;

    json_t *checks = json_object_get(object, "checks");
    if (!json_is_array(checks) || json_array_size(checks) == 0)
        return fail(reader, -EINVAL, "%s: \"checks\" must list at least one check", where);
    pitfall->checks = calloc(json_array_size(checks), sizeof(*pitfall->checks));
    if (pitfall->checks == NULL)
        return fail(reader, -ENOMEM, "out of memory");
    size_t index;
    json_t *item;
    json_array_foreach(checks, index, item)
    {
        pitfall->check_count = index + 1;
        if ((error = read_check(reader, where, item, &pitfall->checks[index])) < 0)
            return error;
        for (size_t earlier = 0; earlier < index; earlier++)
            if (strcmp(pitfall->checks[earlier].id, pitfall->checks[index].id) == 0)
                return fail(reader, -EINVAL, "%s: two checks are called %s", where,
                            pitfall->checks[index].id);
    }
    return manifest_sessions_bind(checks, pitfall, reader->why, reader->why_size);
}

int manifest_load(const char *path, struct manifest *manifest, char *why, size_t why_size)
{
    struct reader reader = {.why = why, .why_size = why_size};
    memset(manifest, 0, sizeof(*manifest));
    json_error_t parse_error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &parse_error);
    if (root == NULL) {
        int error = parse_error.line < 0 ? -ENOENT : -EINVAL;
        return fail(&reader, error, "%s:%d: %s", path, parse_error.line, parse_error.text);
    }
    int error = 0;
    json_t *version = json_object_get(root, "version");
    json_t *pitfalls = json_object_get(root, "pitfalls");
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        error = fail(&reader, -EINVAL, "%s: \"version\" must be 1", path);
    } else if (!json_is_array(pitfalls) || json_array_size(pitfalls) == 0) {
        error = fail(&reader, -EINVAL, "%s: \"pitfalls\" must be a non-empty array", path);
    } else if ((manifest->pitfalls =
                    calloc(json_array_size(pitfalls), sizeof(*manifest->pitfalls))) == NULL) {
        error = fail(&reader, -ENOMEM, "out of memory");
    } else {
        size_t index;
        json_t *item;
        json_array_foreach(pitfalls, index, item)
        {
            manifest->count = index + 1;
            if ((error = read_pitfall(&reader, item, &manifest->pitfalls[index])) < 0)
                break;
            for (size_t earlier = 0; earlier < index; earlier++)
                if (strcmp(manifest->pitfalls[earlier].name, manifest->pitfalls[index].name) == 0) {
                    error = fail(&reader, -EINVAL, "%s: two pitfalls are called %s", path,
                                 manifest->pitfalls[index].name);
                    break;
                }
            if (error < 0)
                break;
        }
    }
    json_decref(root);
    if (error < 0)
        manifest_free(manifest);
    return error;
}

static void strings_free(char **strings, size_t count)
{
    if (strings == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

void manifest_free(struct manifest *manifest)
{
    for (size_t i = 0; i < manifest->count; i++) {
        struct manifest_pitfall *pitfall = &manifest->pitfalls[i];
        free(pitfall->name);
        free(pitfall->title);
        free(pitfall->task);
        free(pitfall->lesson);
        free(pitfall->broken);
        free(pitfall->fixed);
        strings_free(pitfall->args, pitfall->arg_count);
        free(pitfall->stdin_path);
        free(pitfall->expected_stdout);
        free(pitfall->exit_why);
        strings_free(pitfall->stdout_patterns, pitfall->stdout_pattern_count);
        strings_free(pitfall->hints, pitfall->hint_count);
        for (size_t c = 0; c < pitfall->check_count; c++)
            free(pitfall->checks[c].id);
        free(pitfall->checks);
        manifest_sessions_free(pitfall);
    }
    free(manifest->pitfalls);
    memset(manifest, 0, sizeof(*manifest));
}

/* "03-zombies" matches "03-zombies", "03", "3" and "zombies". */
static bool name_matches(const char *full, const char *wanted)
{
    if (strcmp(full, wanted) == 0)
        return true;
    const char *dash = strchr(full, '-');
    if (dash == NULL)
        return false;
    if (strcmp(dash + 1, wanted) == 0)
        return true;
    char *end;
    long number = strtol(wanted, &end, 10);
    return end != wanted && *end == '\0' && number == strtol(full, NULL, 10);
}

const struct manifest_pitfall *manifest_find(const struct manifest *manifest, const char *name)
{
    for (size_t i = 0; i < manifest->count; i++)
        if (name_matches(manifest->pitfalls[i].name, name))
            return &manifest->pitfalls[i];
    return NULL;
}
