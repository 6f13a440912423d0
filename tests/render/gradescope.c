/* The Gradescope renderer, read back as results.json with the fields of
 * Gradescope's autograder specification. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <string.h>

static json_t *render_and_parse(const struct report *report)
{
    char *text = render_to_string(render_gradescope, report);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "not JSON: %s", error.text);
    free(text);
    return root;
}

static json_t *test_named(json_t *root, const char *name)
{
    size_t index;
    json_t *test;
    json_array_foreach(json_object_get(root, "tests"), index, test)
    {
        if (strcmp(json_string_value(json_object_get(test, "name")), name) == 0)
            return test;
    }
    cr_assert_fail("no test named %s", name);
    return NULL;
}

Test(gradescope, every_kind_is_a_test_with_the_specified_fields)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *tests = json_object_get(root, "tests");
    cr_assert_eq(json_array_size(tests), FINDING_KIND_COUNT);
    size_t index;
    json_t *test;
    json_array_foreach(tests, index, test)
    {
        cr_expect_str_eq(json_string_value(json_object_get(test, "name")),
                         finding_kind_name((int)index));
        cr_expect(json_is_number(json_object_get(test, "score")));
        cr_expect(json_is_number(json_object_get(test, "max_score")));
        cr_expect(json_is_string(json_object_get(test, "output")));
        cr_expect_str_eq(json_string_value(json_object_get(test, "visibility")), "visible");
    }
    json_decref(root);
    report_free(&report);
}

Test(gradescope, a_kind_with_findings_fails_and_explains)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *zombie = test_named(root, "zombie");
    cr_expect_str_eq(json_string_value(json_object_get(zombie, "status")), "failed");
    cr_expect_eq(json_integer_value(json_object_get(zombie, "score")), 0);
    cr_expect_eq(json_integer_value(json_object_get(zombie, "max_score")), 1);
    const char *output = json_string_value(json_object_get(zombie, "output"));
    cr_expect_not_null(strstr(output, "pid 102: process 102 (/bin/cat) ended"), "%s", output);
    cr_expect_not_null(strstr(output, "lessons/03-zombies.md"), "%s", output);

    json_t *bad_close = test_named(root, "bad_close");
    cr_expect_str_eq(json_string_value(json_object_get(bad_close, "status")), "passed");
    cr_expect_eq(json_integer_value(json_object_get(bad_close, "score")), 1);

    /* Not run: worth nothing either way, and it says why. */
    json_t *memory = test_named(root, "memory_leak");
    cr_expect_null(json_object_get(memory, "status"));
    cr_expect_eq(json_integer_value(json_object_get(memory, "max_score")), 0);
    cr_expect_not_null(strstr(json_string_value(json_object_get(memory, "output")), "--valgrind"));

    /* 8 kinds ran, 4 had findings. */
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 4);
    cr_expect_float_eq(json_number_value(json_object_get(root, "execution_time")), 1.234, 1e-9);
    json_decref(root);
    report_free(&report);
}

Test(gradescope, the_submission_output_shows_what_the_program_printed)
{
    struct report report;
    sample_clean_report(&report);
    json_t *root = render_and_parse(&report);
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_assert_not_null(output);
    cr_expect_not_null(strstr(output, "forklab check true\n"), "%s", output);
    cr_expect_not_null(strstr(output, "Main program: exit 0; 0 findings"), "%s", output);
    cr_expect_not_null(strstr(output, "stdout (6 bytes):\nhello\n"), "%s", output);
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 8);
    json_decref(root);
    report_free(&report);
}
