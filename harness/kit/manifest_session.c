/* Reads and checks the manifest's "sessions" of a shell exercise, and which
 * check grades which session, so that a typo fails when the manifest loads
 * rather than as a check that can never pass. */
#include "kit/manifest.h"

#include "core/reason.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of a JSON string with its length (it may hold NUL bytes). */
static char *copy_text(json_t *value, size_t *length)
{
    size_t size = json_string_length(value);
    char *copy = malloc(size + 1);
    if (copy != NULL) {
        memcpy(copy, json_string_value(value), size);
        copy[size] = '\0';
        if (length != NULL)
            *length = size;
    }
    return copy;
}

static bool is_plain_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL && strlen(name) < 100;
}

/* Reads {"name": "content", ...} into an array of files. */
static int read_files(json_t *object, const char *where, const char *key,
                      struct manifest_file **files, size_t *count, char *why, size_t why_size)
{
    json_t *map = json_object_get(object, key);
    if (map == NULL)
        return 0;
    if (!json_is_object(map))
        return reason_set(why, why_size, -EINVAL, "%s: \"%s\" must map file names to contents",
                          where, key);
    *files = calloc(json_object_size(map) + 1, sizeof(**files));
    if (*files == NULL)
        return reason_set(why, why_size, -ENOMEM, "out of memory");
    const char *name;
    json_t *content;
    json_object_foreach(map, name, content)
    {
        if (!is_plain_name(name) || !json_is_string(content))
            return reason_set(
                why, why_size, -EINVAL,
                "%s: %s \"%s\" needs a plain name (no '/', no leading '.') and a string", where,
                key, name);
        struct manifest_file *file = &(*files)[(*count)++];
        file->name = strdup(name);
        file->content = copy_text(content, &file->length);
        if (file->name == NULL || file->content == NULL)
            return reason_set(why, why_size, -ENOMEM, "out of memory");
    }
    return 0;
}

static size_t count_probe_lines(const char *script)
{
    size_t count = 0, length = strlen(MANIFEST_PROBE_LINE);
    for (const char *line = script; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t size = end != NULL ? (size_t)(end - line) : strlen(line);
        count += size == length && strncmp(line, MANIFEST_PROBE_LINE, length) == 0;
        line += size + (end != NULL);
    }
    return count;
}

static int read_session(json_t *object, const char *exercise, struct manifest_session *session,
                        char *why, size_t why_size)
{
    if (!json_is_object(object))
        return reason_set(why, why_size, -EINVAL, "%s: a session is not an object", exercise);
    json_t *name = json_object_get(object, "name"), *about = json_object_get(object, "about");
    json_t *script = json_object_get(object, "stdin"), *out = json_object_get(object, "stdout");
    json_t *exit_code = json_object_get(object, "exit");
    if (!json_is_string(name) || !is_plain_name(json_string_value(name)))
        return reason_set(why, why_size, -EINVAL, "%s: a session needs a \"name\", a plain word",
                          exercise);
    char where[256];
    snprintf(where, sizeof(where), "%s session %s", exercise, json_string_value(name));
    if (!json_is_string(about) || !json_is_string(script) || !json_is_string(out))
        return reason_set(why, why_size, -EINVAL,
                          "%s: \"about\", \"stdin\" and \"stdout\" must be strings", where);
    size_t script_length = json_string_length(script);
    if (script_length == 0 || json_string_value(script)[script_length - 1] != '\n' ||
        strlen(json_string_value(script)) != script_length)
        return reason_set(why, why_size, -EINVAL,
                          "%s: \"stdin\" must be lines, each ending in a newline", where);
    if (exit_code != NULL && (!json_is_integer(exit_code) || json_integer_value(exit_code) < 0 ||
                              json_integer_value(exit_code) > 255))
        return reason_set(why, why_size, -EINVAL, "%s: \"exit\" must be an exit code from 0 to 255",
                          where);
    session->expected_exit = exit_code != NULL ? (int)json_integer_value(exit_code) : 0;
    session->name = strdup(json_string_value(name));
    session->about = strdup(json_string_value(about));
    session->script = strdup(json_string_value(script));
    session->expected_stdout = copy_text(out, &session->expected_stdout_length);
    if (session->name == NULL || session->about == NULL || session->script == NULL ||
        session->expected_stdout == NULL)
        return reason_set(why, why_size, -ENOMEM, "out of memory");
    session->probe_count = count_probe_lines(session->script);
    int error =
        read_files(object, where, "files", &session->inputs, &session->input_count, why, why_size);
    if (error == 0)
        error = read_files(object, where, "writes", &session->outputs, &session->output_count, why,
                           why_size);
    return error;
}

int manifest_sessions_read(json_t *sessions, struct manifest_pitfall *pitfall, char *why,
                           size_t why_size)
{
    if (sessions == NULL)
        return 0;
    if (!json_is_array(sessions) || json_array_size(sessions) == 0)
        return reason_set(why, why_size, -EINVAL, "%s: \"sessions\" must be a non-empty array",
                          pitfall->name);
    pitfall->sessions = calloc(json_array_size(sessions), sizeof(*pitfall->sessions));
    if (pitfall->sessions == NULL)
        return reason_set(why, why_size, -ENOMEM, "out of memory");
    size_t index;
    json_t *item;
    json_array_foreach(sessions, index, item)
    {
        pitfall->session_count = index + 1;
        int error = read_session(item, pitfall->name, &pitfall->sessions[index], why, why_size);
        if (error < 0)
            return error;
        for (size_t earlier = 0; earlier < index; earlier++)
            if (strcmp(pitfall->sessions[earlier].name, pitfall->sessions[index].name) == 0)
                return reason_set(why, why_size, -EINVAL, "%s: two sessions are called %s",
                                  pitfall->name, pitfall->sessions[index].name);
    }
    return 0;
}

static const struct manifest_session *find_session(const struct manifest_pitfall *pitfall,
                                                   const char *name)
{
    for (size_t i = 0; i < pitfall->session_count; i++)
        if (strcmp(pitfall->sessions[i].name, name) == 0)
            return &pitfall->sessions[i];
    return NULL;
}

int manifest_sessions_bind(json_t *checks, struct manifest_pitfall *pitfall, char *why,
                           size_t why_size)
{
    for (size_t i = 0; i < pitfall->check_count; i++) {
        struct manifest_check *check = &pitfall->checks[i];
        json_t *name = json_object_get(json_array_get(checks, i), "session");
        if (name == NULL && pitfall->session_count > 0)
            return reason_set(why, why_size, -EINVAL,
                              "%s: check %s must name the session it grades (\"session\")",
                              pitfall->name, check->id);
        if (name != NULL) {
            check->session =
                json_is_string(name) ? find_session(pitfall, json_string_value(name)) : NULL;
            if (check->session == NULL)
                return reason_set(why, why_size, -EINVAL, "%s: check %s names no session of %s",
                                  pitfall->name, check->id, pitfall->name);
        }
        bool session_test =
            check->test == MANIFEST_TEST_FILES || check->test == MANIFEST_TEST_CHILDREN;
        if (session_test && check->session == NULL)
            return reason_set(why, why_size, -EINVAL, "%s: check %s is about a session: name one",
                              pitfall->name, check->id);
        if (check->test == MANIFEST_TEST_FILES && check->session->output_count == 0)
            return reason_set(why, why_size, -EINVAL,
                              "%s: check %s grades files, but session %s lists none in \"writes\"",
                              pitfall->name, check->id, check->session->name);
        if (check->test == MANIFEST_TEST_CHILDREN && check->session->probe_count == 0)
            return reason_set(
                why, why_size, -EINVAL,
                "%s: check %s looks for children, but session %s has no line " MANIFEST_PROBE_LINE,
                pitfall->name, check->id, check->session->name);
        if (check->test == MANIFEST_TEST_NO_COPYING_SPAWN && check->session != NULL)
            return reason_set(why, why_size, -EINVAL, "%s: check %s cannot grade a session",
                              pitfall->name, check->id);
    }
    for (size_t s = 0; s < pitfall->session_count; s++) {
        bool graded = false;
        for (size_t i = 0; i < pitfall->check_count; i++)
            graded |= pitfall->checks[i].session == &pitfall->sessions[s];
        if (!graded)
            return reason_set(why, why_size, -EINVAL, "%s: no check grades session %s",
                              pitfall->name, pitfall->sessions[s].name);
    }
    return 0;
}

static void files_free(struct manifest_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(files[i].name);
        free(files[i].content);
    }
    free(files);
}

void manifest_sessions_free(struct manifest_pitfall *pitfall)
{
    for (size_t i = 0; i < pitfall->session_count; i++) {
        struct manifest_session *session = &pitfall->sessions[i];
        free(session->name);
        free(session->about);
        free(session->script);
        free(session->expected_stdout);
        files_free(session->inputs, session->input_count);
        files_free(session->outputs, session->output_count);
    }
    free(pitfall->sessions);
    pitfall->sessions = NULL;
    pitfall->session_count = 0;
}
