/* The hand-written drills: drills/drills.json, each drill written either in
 * the drill language ("steps", whose answer the model computes) or as a C
 * file ("program", with its answer stated); the tests hold both to real
 * runs. Every field is checked here, so a typo fails loudly at load. */
#include "study/drill.h"

#include "core/reason.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_PATH "drills/drills.json"
/* An orders drill lists candidates among at most this many outputs. */
#define MAX_OUTPUTS 64

static int read_text(const struct kit *kit, const char *relative, char **text, char *why,
                     size_t why_size)
{
    char path[PATH_MAX];
    if (kit_path(kit, relative, path, sizeof(path)) < 0)
        return reason_set(why, why_size, -ENAMETOOLONG, "%s: the path is too long", relative);
    FILE *in = fopen(path, "re");
    if (in == NULL)
        return reason_set(why, why_size, -errno, "%s: %s", path, strerror(errno));
    char *buffer = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buffer, &size);
    int c;
    while (out != NULL && (c = fgetc(in)) != EOF)
        fputc(c, out);
    fclose(in);
    if (out == NULL || fclose(out) != 0) {
        free(buffer);
        return reason_set(why, why_size, -ENOMEM, "out of memory");
    }
    *text = buffer;
    return 0;
}

static int take_candidates(json_t *object, const char *where, struct drill *drill, char *why,
                           size_t why_size)
{
    json_t *candidates = json_object_get(object, "candidates");
    if (!json_is_array(candidates) || json_array_size(candidates) < 2 ||
        json_array_size(candidates) > DRILL_MAX_CANDIDATES)
        return reason_set(why, why_size, -EINVAL, "%s: \"candidates\" must list 2 to %d strings",
                          where, DRILL_MAX_CANDIDATES);
    size_t index;
    json_t *item;
    json_array_foreach(candidates, index, item)
    {
        if (!json_is_string(item))
            return reason_set(why, why_size, -EINVAL, "%s: candidate %zu is not a string", where,
                              index);
        drill->candidates[index] = strdup(json_string_value(item));
        if (drill->candidates[index] == NULL)
            return reason_set(why, why_size, -ENOMEM, "out of memory");
        drill->candidate_count = index + 1;
    }
    return 0;
}

/* The answer of a drill written in steps, from its model. */
static int answer_from_steps(const char *steps, const char *where, struct drill *drill, char *why,
                             size_t why_size)
{
    struct drill_outcome outcome;
    char reason[200] = "";
    int error = drill_program_model(steps, drill->kind == DRILL_ORDERS ? MAX_OUTPUTS : 0, &outcome,
                                    reason, sizeof(reason));
    if (error < 0)
        return reason_set(why, why_size, error, "%s: steps \"%s\": %s", where, steps, reason);
    if (outcome.deadlock || outcome.truncated)
        error = reason_set(why, why_size, -EINVAL, "%s: steps \"%s\" %s", where, steps,
                           outcome.deadlock ? "can block forever" : "print too many orders");
    drill->lines = outcome.lines;
    for (size_t i = 0; error == 0 && i < drill->candidate_count; i++) {
        bool right =
            drill->kind == DRILL_TREE ? strcmp(drill->candidates[i], outcome.shape) == 0 : false;
        for (size_t o = 0; drill->kind == DRILL_ORDERS && o < outcome.output_count; o++)
            right |= strcmp(drill->candidates[i], outcome.outputs[o]) == 0;
        drill->right |= right ? 1u << i : 0;
    }
    if (error == 0 && drill->kind == DRILL_TREE && __builtin_popcount(drill->right) != 1)
        error = reason_set(why, why_size, -EINVAL, "%s: exactly one candidate must be the tree %s",
                           where, outcome.shape);
    if (error == 0 && drill->kind == DRILL_ORDERS && drill->right == 0)
        error =
            reason_set(why, why_size, -EINVAL, "%s: no candidate is an output it can print", where);
    if (error == 0 && drill->kind == DRILL_ORDERS) {
        drill->outputs = outcome.outputs;
        drill->output_count = outcome.output_count;
        outcome.outputs = NULL;
        outcome.output_count = 0;
    }
    drill_outcome_free(&outcome);
    return error;
}

/* The stated answer of a drill written in C. */
static int stated_answer(json_t *object, const char *where, struct drill *drill, char *why,
                         size_t why_size)
{
    json_t *answer = json_object_get(object, "answer");
    if (drill->kind == DRILL_LINES) {
        if (!json_is_integer(answer) || json_integer_value(answer) < 0)
            return reason_set(why, why_size, -EINVAL, "%s: \"answer\" must be a number of lines",
                              where);
        drill->lines = (long)json_integer_value(answer);
        return 0;
    }
    if (drill->kind == DRILL_TREE) {
        const char *letter = json_string_value(answer);
        if (letter == NULL || strlen(letter) != 1 || letter[0] < 'A' ||
            (size_t)(letter[0] - 'A') >= drill->candidate_count)
            return reason_set(why, why_size, -EINVAL,
                              "%s: \"answer\" must be one candidate's letter", where);
        drill->right = 1u << (letter[0] - 'A');
        return 0;
    }
    const char *exec = json_string_value(json_object_get(object, "exec"));
    if (exec == NULL || exec[0] == '\0' || strlen(exec) >= sizeof(drill->exec_name) ||
        !json_is_array(answer))
        return reason_set(
            why, why_size, -EINVAL,
            "%s: a descriptor drill needs \"exec\" (the program) and \"answer\" (numbers)", where);
    snprintf(drill->exec_name, sizeof(drill->exec_name), "%s", exec);
    size_t index;
    json_t *fd;
    json_array_foreach(answer, index, fd)
    {
        if (!json_is_integer(fd) || json_integer_value(fd) < 3 ||
            json_integer_value(fd) > DRILL_MAX_FD)
            return reason_set(why, why_size, -EINVAL, "%s: descriptors are numbers from 3 to %d",
                              where, DRILL_MAX_FD);
        drill->fds |= (uint32_t)1 << json_integer_value(fd);
    }
    return 0;
}

static int read_drill(const struct kit *kit, json_t *object, struct drill *drill, char *why,
                      size_t why_size)
{
    const char *id = json_string_value(json_object_get(object, "id"));
    const char *lesson = json_string_value(json_object_get(object, "lesson"));
    const char *kind = json_string_value(json_object_get(object, "kind"));
    const char *steps = json_string_value(json_object_get(object, "steps"));
    const char *program = json_string_value(json_object_get(object, "program"));
    const char *note = json_string_value(json_object_get(object, "note"));
    if (id == NULL || strlen(id) >= sizeof(drill->id) || lesson == NULL ||
        strlen(lesson) >= sizeof(drill->lesson))
        return reason_set(why, why_size, -EINVAL, "%s: each drill needs an \"id\" and a \"lesson\"",
                          CATALOG_PATH);
    char where[128];
    snprintf(where, sizeof(where), "%s: drill %s", CATALOG_PATH, id);
    snprintf(drill->id, sizeof(drill->id), "%s", id);
    snprintf(drill->lesson, sizeof(drill->lesson), "%s", lesson);
    int parsed = kind != NULL ? drill_kind_from_name(kind) : -1;
    if (parsed < 0)
        return reason_set(why, why_size, -EINVAL, "%s: \"kind\" must be lines, tree, orders or fds",
                          where);
    drill->kind = (enum drill_kind)parsed;
    if ((steps == NULL) == (program == NULL))
        return reason_set(why, why_size, -EINVAL, "%s: give \"steps\" or \"program\", one of them",
                          where);
    if (steps != NULL && drill->kind == DRILL_FDS)
        return reason_set(why, why_size, -EINVAL, "%s: a descriptor drill is a C \"program\"",
                          where);
    if (program != NULL && drill->kind == DRILL_ORDERS)
        return reason_set(
            why, why_size, -EINVAL,
            "%s: an orders drill is written in \"steps\", so that its every output is known",
            where);
    if (note != NULL && (drill->note = strdup(note)) == NULL)
        return reason_set(why, why_size, -ENOMEM, "out of memory");
    int error = 0;
    if (drill->kind == DRILL_TREE || drill->kind == DRILL_ORDERS)
        error = take_candidates(object, where, drill, why, why_size);
    if (error == 0 && steps != NULL) {
        error = answer_from_steps(steps, where, drill, why, why_size);
        char title[160];
        snprintf(title, sizeof(title), "Drill %s (lesson %s).", id, lesson);
        if (error == 0 && (drill->source = drill_program_source(steps, title)) == NULL)
            error = reason_set(why, why_size, -ENOMEM, "out of memory");
    } else if (error == 0) {
        error = stated_answer(object, where, drill, why, why_size);
        if (error == 0)
            error = read_text(kit, program, &drill->source, why, why_size);
    }
    return error;
}

int drill_catalog_load(const struct kit *kit, struct drill_catalog *catalog, char *why,
                       size_t why_size)
{
    memset(catalog, 0, sizeof(*catalog));
    char path[PATH_MAX];
    if (kit_path(kit, CATALOG_PATH, path, sizeof(path)) < 0)
        return reason_set(why, why_size, -ENAMETOOLONG, "%s: the path is too long", CATALOG_PATH);
    json_error_t parse_error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &parse_error);
    if (root == NULL)
        return reason_set(why, why_size, parse_error.line < 0 ? -ENOENT : -EINVAL, "%s:%d: %s",
                          path, parse_error.line, parse_error.text);
    json_t *drills = json_object_get(root, "drills");
    int error = 0;
    if (json_integer_value(json_object_get(root, "version")) != 1 || !json_is_array(drills) ||
        json_array_size(drills) == 0)
        error = reason_set(why, why_size, -EINVAL,
                           "%s: needs \"version\": 1 and a list of \"drills\"", path);
    if (error == 0 &&
        (catalog->drills = calloc(json_array_size(drills), sizeof(*catalog->drills))) == NULL)
        error = reason_set(why, why_size, -ENOMEM, "out of memory");
    size_t index;
    json_t *item;
    json_array_foreach(drills, index, item)
    {
        if (error < 0)
            break;
        catalog->count = index + 1;
        error = read_drill(kit, item, &catalog->drills[index], why, why_size);
        for (size_t earlier = 0; error == 0 && earlier < index; earlier++)
            if (strcmp(catalog->drills[earlier].id, catalog->drills[index].id) == 0)
                error = reason_set(why, why_size, -EINVAL, "%s: two drills are called %s", path,
                                   catalog->drills[index].id);
    }
    json_decref(root);
    if (error < 0)
        drill_catalog_free(catalog);
    return error;
}

void drill_catalog_free(struct drill_catalog *catalog)
{
    for (size_t i = 0; i < catalog->count; i++)
        drill_free(&catalog->drills[i]);
    free(catalog->drills);
    memset(catalog, 0, sizeof(*catalog));
}
