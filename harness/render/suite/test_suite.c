/* Building and freeing a test-suite record (render/suite/test_suite.h). */
#include "render/suite/test_suite.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void test_suite_init(struct test_suite *suite)
{
    memset(suite, 0, sizeof(*suite));
}

void test_suite_free(struct test_suite *suite)
{
    for (size_t i = 0; i < suite->case_count; i++) {
        struct test_case *test = &suite->cases[i];
        free(test->name);
        free(test->id);
        free(test->message);
        free(test->detail);
        free(test->markdown);
        json_decref(test->diagnostics);
    }
    free(suite->cases);
    for (size_t i = 0; i < suite->property_count; i++) {
        free(suite->properties[i].name);
        free(suite->properties[i].value);
    }
    free(suite->properties);
    free(suite->name);
    free(suite->classname);
    free(suite->overview);
    free(suite->summary);
    test_suite_init(suite);
}

struct test_case *test_suite_add_case(struct test_suite *suite, const char *name, const char *id,
                                      enum test_case_result result)
{
    struct test_case *cases =
        realloc(suite->cases, (suite->case_count + 1) * sizeof(struct test_case));
    if (cases == NULL)
        return NULL;
    suite->cases = cases;
    struct test_case *test = &cases[suite->case_count];
    *test = (struct test_case){.name = strdup(name), .id = strdup(id), .result = result};
    suite->case_count++;
    return test;
}

int test_suite_add_property(struct test_suite *suite, const char *name, const char *value)
{
    struct test_property *properties =
        realloc(suite->properties, (suite->property_count + 1) * sizeof(struct test_property));
    if (properties == NULL)
        return -ENOMEM;
    suite->properties = properties;
    properties[suite->property_count++] =
        (struct test_property){.name = strdup(name), .value = strdup(value)};
    return 0;
}

char *test_suite_printf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text;
    int length = vasprintf(&text, format, args);
    va_end(args);
    return length < 0 ? NULL : text;
}

bool test_suite_complete(const struct test_suite *suite)
{
    if (suite->name == NULL || suite->classname == NULL || suite->overview == NULL ||
        suite->summary == NULL)
        return false;
    for (size_t i = 0; i < suite->property_count; i++)
        if (suite->properties[i].name == NULL || suite->properties[i].value == NULL)
            return false;
    for (size_t i = 0; i < suite->case_count; i++) {
        const struct test_case *test = &suite->cases[i];
        if (test->name == NULL || test->id == NULL || test->message == NULL ||
            test->detail == NULL || (test->result == TEST_CASE_FAILED && test->diagnostics == NULL))
            return false;
    }
    return true;
}
