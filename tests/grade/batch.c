/* grade-all on a folder of mixed submissions, two at a time, inside a pids
 * cgroup: a fork bomb, a flood or fake printed results in one submission
 * change nobody else's grade; the gradebook is read back from its files. */
#include "grade/grade_all.h"
#include "grade_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "r"), *out = fopen(to, "w");
    cr_assert(in != NULL && out != NULL, "copy %s to %s: %s", from, to, strerror(errno));
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
        fwrite(buffer, 1, got, out);
    fclose(in);
    cr_assert_eq(fclose(out), 0);
}

/* The class: who submitted what, and the score each must get for exercise
 * 01 (no-nested_fork 4, no-findings 1, stdout 2, exit 1). */
static const struct {
    const char *student, *entry, *source, *status;
    int score;
} class[] = {
    {"alice", "alice.c", FORKLAB_SOURCE_DIR "/solutions/01-nested-forks.c", "graded", 8},
    {"bob", "bob.c", FORKLAB_SOURCE_DIR "/pitfalls/01-nested-forks.c", "graded", 1},
    {"carol", "carol.c", SUBMISSION("compile-error.c"), "compile_failed", 0},
    {"dave", "dave", NULL, "graded", 6},    /* multi-file: no children, the wrong output */
    {"erin", "erin", NULL, "no_source", 0}, /* an empty folder */
    {"mallory", "mallory.c", FIXTURE_SOURCE("h-fork-bomb"), "graded", 0},
    {"oscar", "oscar.c", SUBMISSION("flood.c"), "graded", 4},
    {"trudy", "trudy.c", SUBMISSION("fake-results.c"), "graded", 6},
};
#define CLASS_SIZE (sizeof(class) / sizeof(class[0]))

static void make_class(const char *folder)
{
    char path[1024];
    for (size_t i = 0; i < CLASS_SIZE; i++) {
        snprintf(path, sizeof(path), "%s/%s", folder, class[i].entry);
        if (class[i].source != NULL)
            copy(class[i].source, path);
        else
            cr_assert_eq(mkdir(path, 0755), 0);
    }
    const char *parts[] = {"main.c", "sum.c", "sum.h"};
    for (size_t i = 0; i < 3; i++) {
        char from[512];
        snprintf(from, sizeof(from), "%s/%s", SUBMISSION("multi-file"), parts[i]);
        snprintf(path, sizeof(path), "%s/dave/%s", folder, parts[i]);
        copy(from, path);
    }
    snprintf(path, sizeof(path), "%s/notes.txt", folder);
    copy(SUBMISSION("notes.txt"), path);
    snprintf(path, sizeof(path), "%s/.hidden.c", folder);
    copy(SUBMISSION("compile-error.c"), path);
}

struct batch {
    char submissions[256], out[256];
};

struct batch_outcome {
    int listed, ran, wrote;
    size_t count, skipped, errors;
    char first_skipped[64];
};

static void run_batch(void *context, int result_fd)
{
    const struct batch *batch = context;
    struct batch_outcome outcome = {0};
    struct kit kit;
    struct manifest manifest;
    kit_at(&kit, FORKLAB_SOURCE_DIR, FORKLAB_PLAIN_DIR);
    manifest_load(FORKLAB_SOURCE_DIR "/" MANIFEST_PATH, &manifest, NULL, 0);
    struct grade_all_options options = {.folder = batch->submissions, .jobs = 2};
    grade_options_init(&options.grade);
    options.grade.kit = &kit;
    options.grade.exercise = manifest_find(&manifest, "01");
    options.grade.timeout_ms = 3000;
    struct grade_all_result result;
    outcome.listed = grade_all_list(batch->submissions, &result, NULL, 0);
    if (outcome.listed == 0) {
        outcome.count = result.count;
        outcome.skipped = result.skipped_count;
        if (result.skipped_count > 0)
            snprintf(outcome.first_skipped, sizeof(outcome.first_skipped), "%s", result.skipped[0]);
        /* The gradebook's folder first, as the command makes it. */
        outcome.wrote = grade_all_prepare_out(batch->out, NULL, 0);
        outcome.ran = grade_all_run(&options, &result, NULL, 0);
        for (size_t i = 0; i < result.count; i++)
            outcome.errors += result.students[i].grade == NULL;
        if (outcome.wrote == 0)
            outcome.wrote = grade_all_write(&options, &result, batch->out, NULL, 0);
        grade_all_result_free(&result);
    }
    manifest_free(&manifest);
    write(result_fd, &outcome, sizeof(outcome));
}

static json_t *student_grade(const struct batch *batch, const char *student)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s.json", batch->out, student);
    json_error_t error;
    json_t *grade = json_load_file(path, 0, &error);
    cr_assert_not_null(grade, "%s: %s", path, error.text);
    return grade;
}

Test(batch, a_mixed_class_is_graded_each_on_its_own)
{
    test_deadline(300);
    if (!pids_cgroup_available())
        cr_skip_test("no writable pids cgroup at /sys/fs/cgroup/pids");
    char root[64];
    grade_test_tmpdir(root, sizeof(root));
    struct batch batch;
    snprintf(batch.submissions, sizeof(batch.submissions), "%s/submissions", root);
    snprintf(batch.out, sizeof(batch.out), "%s/grades", root);
    cr_assert_eq(mkdir(batch.submissions, 0755), 0);
    make_class(batch.submissions);

    struct batch_outcome outcome;
    run_in_pids_cgroup(200, run_batch, &batch, &outcome, sizeof(outcome));
    cr_assert_eq(outcome.listed, 0);
    cr_assert_eq(outcome.ran, 0);
    cr_assert_eq(outcome.wrote, 0);
    cr_expect_eq(outcome.count, CLASS_SIZE, "hidden entries are not students");
    cr_expect_eq(outcome.skipped, 1);
    cr_expect_str_eq(outcome.first_skipped, "notes.txt");
    cr_expect_eq(outcome.errors, 0);

    for (size_t i = 0; i < CLASS_SIZE; i++) {
        json_t *grade = student_grade(&batch, class[i].student);
        cr_expect_str_eq(json_string_value(json_object_get(grade, "student")), class[i].student);
        cr_expect_str_eq(json_string_value(json_object_get(grade, "status")), class[i].status, "%s",
                         class[i].student);
        cr_expect_eq(json_integer_value(json_object_get(grade, "score")), class[i].score, "%s: %s",
                     class[i].student, json_string_value(json_object_get(grade, "explanation")));
        cr_expect_eq(json_integer_value(json_object_get(grade, "max_score")), 8);
        json_decref(grade);
    }

    /* The gradebook: a header, then one row per student in name order. */
    char path[600], text[8192] = "";
    snprintf(path, sizeof(path), "%s/" GRADEBOOK_FILE, batch.out);
    FILE *csv = fopen(path, "r");
    cr_assert_not_null(csv, "%s: %s", path, strerror(errno));
    size_t length = fread(text, 1, sizeof(text) - 1, csv);
    fclose(csv);
    text[length] = '\0';
    char *line = strtok(text, "\r\n");
    cr_assert_not_null(line);
    cr_expect_str_eq(line, "student,status,score,max_score,no-nested_fork,no-findings,stdout,exit,"
                           "explanation");
    static const char *const rows[] = {
        "alice,graded,8,8,4,1,2,1,",         "bob,graded,1,8,0,0,0,1,",
        "carol,compile_failed,0,8,0,0,0,0,", "dave,graded,6,8,4,1,0,1,",
        "erin,no_source,0,8,0,0,0,0,",       "mallory,graded,0,8,0,0,0,0,",
        "oscar,graded,4,8,4,0,0,0,",         "trudy,graded,6,8,4,1,0,1,",
    };
    for (size_t i = 0; i < CLASS_SIZE; i++) {
        line = strtok(NULL, "\r\n");
        cr_assert_not_null(line, "row %zu is missing", i);
        cr_expect_eq(strncmp(line, rows[i], strlen(rows[i])), 0, "row %zu: %s", i, line);
    }
    cr_expect_null(strtok(NULL, "\r\n"), "more rows than students");
    grade_test_rmdir(root);
}

Test(batch, two_entries_for_one_student_are_refused)
{
    char root[64], path[128];
    grade_test_tmpdir(root, sizeof(root));
    snprintf(path, sizeof(path), "%s/alice.c", root);
    copy(SUBMISSION("zombies-fixed.c"), path);
    snprintf(path, sizeof(path), "%s/alice", root);
    cr_assert_eq(mkdir(path, 0755), 0);
    struct grade_all_result result;
    char why[512] = "";
    cr_expect_eq(grade_all_list(root, &result, why, sizeof(why)), -EEXIST);
    cr_expect_not_null(strstr(why, "student alice"), "%s", why);
    grade_test_rmdir(root);
}

Test(batch, a_csv_field_with_a_comma_or_a_quote_is_quoted)
{
    char root[64], path[128];
    grade_test_tmpdir(root, sizeof(root));
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    struct grade_all_options options = {.folder = root, .jobs = 1};
    grade_options_init(&options.grade);
    options.grade.kit = &kit;
    options.grade.exercise = grade_test_exercise(&manifest, "03");
    struct grade_all_student student = {.name = "o\"neil, jr", .error = "could not \"grade\""};
    struct grade_all_result result = {.students = &student, .count = 1};
    char why[256] = "";
    cr_assert_eq(grade_all_write(&options, &result, root, why, sizeof(why)), 0, "%s", why);
    snprintf(path, sizeof(path), "%s/" GRADEBOOK_FILE, root);
    FILE *csv = fopen(path, "r");
    cr_assert_not_null(csv);
    char text[1024] = "";
    size_t length = fread(text, 1, sizeof(text) - 1, csv);
    fclose(csv);
    text[length] = '\0';
    cr_expect_not_null(strstr(text, "\r\n\"o\"\"neil, jr\",error,0,8,0,0,0,0,"
                                    "\"could not \"\"grade\"\"\"\r\n"),
                       "%s", text);
    manifest_free(&manifest);
    grade_test_rmdir(root);
}
