/* The instances of a finding kind, read from the evidence its rule writes
 * (rules/bad_close.c: one "closes" entry per bad close, with its fd). */
#include "core/finding_instance.h"

#include <stdio.h>
#include <string.h>

static json_int_t close_fd(const json_t *item)
{
    return json_integer_value(json_object_get(item, "fd"));
}

static bool is_negative_fd(const json_t *item)
{
    return close_fd(item) < 0;
}

static bool is_not_open(const json_t *item)
{
    return close_fd(item) >= 0;
}

static void describe_negative_fd(const json_t *item, char *text, size_t size)
{
    snprintf(text, size, "called close(%lld): the error value of a failed open() or pipe()",
             (long long)close_fd(item));
}

static void describe_not_open(const json_t *item, char *text, size_t size)
{
    json_int_t before = json_integer_value(json_object_get(item, "last_closed_by"));
    const char *program = json_string_value(json_object_get(item, "last_closed_program"));
    if (before > 0)
        snprintf(text, size, "closed fd %lld, which was already closed (by pid %lld, %s)",
                 (long long)close_fd(item), (long long)before, program ? program : "?");
    else
        snprintf(text, size, "closed fd %lld, which was never open", (long long)close_fd(item));
}

static const struct finding_instance instances[] = {
    {FINDING_BAD_CLOSE, "fd_negative", "close(-1)", "closes", is_negative_fd, describe_negative_fd},
    {FINDING_BAD_CLOSE, "fd_not_open", "close of a descriptor that was not open", "closes",
     is_not_open, describe_not_open},
};
#define INSTANCE_COUNT (sizeof(instances) / sizeof(instances[0]))

const struct finding_instance *finding_instance_find(enum finding_kind kind, const char *name)
{
    for (size_t i = 0; i < INSTANCE_COUNT; i++)
        if (instances[i].kind == kind && strcmp(instances[i].name, name) == 0)
            return &instances[i];
    return NULL;
}

const char *finding_instance_names(enum finding_kind kind, char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < INSTANCE_COUNT && used < size; i++)
        if (instances[i].kind == kind)
            used += (size_t)snprintf(text + used, size - used, "%s%s", used ? ", " : "",
                                     instances[i].name);
    return text;
}

size_t finding_instance_count(const struct finding_instance *instance,
                              const struct finding *finding, size_t *unlisted)
{
    *unlisted = 0;
    if (finding->kind != instance->kind)
        return 0;
    const json_t *items = json_object_get(finding->evidence, instance->items);
    size_t count = 0, index;
    json_t *item;
    json_array_foreach(items, index, item)
    {
        count += instance->matches(item);
    }
    /* The finding's "count" is every mistake, listed or not. */
    json_int_t total = json_integer_value(json_object_get(finding->evidence, "count"));
    if (total > 0 && (size_t)total > json_array_size(items))
        *unlisted = (size_t)total - json_array_size(items);
    return count;
}
