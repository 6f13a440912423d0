/* `forklab watch` end to end: it grades the copy, then again when an editor
 * renames a new file into place or writes it in place, and so does --poll.
 * The test waits for the "watching" line before saving: no sleeps. */
#include "grade_test.h"

#include <forklab.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Runs `forklab ARG...` to completion (stdout and stderr kept). */
static void forklab(struct fl_output *output, const char *const *args)
{
    struct fl_command *command = fl_command_new(FORKLAB_CLI);
    cr_assert_not_null(command);
    fl_command_args(command, args);
    cr_assert_eq(fl_command_output(command, output), 0, "%s", fl_command_strerror(command));
    fl_command_free(&command);
}

/* Reads the watcher's stdout up to and including a line that starts with
 * `prefix`; returns everything read. Fails at end of file. */
static char *read_until(FILE *out, const char *prefix)
{
    char *all = NULL;
    size_t all_size = 0;
    FILE *copy = open_memstream(&all, &all_size);
    char *line = NULL;
    size_t capacity = 0;
    bool found = false;
    while (!found && getline(&line, &capacity, out) > 0) {
        fputs(line, copy);
        found = strncmp(line, prefix, strlen(prefix)) == 0;
    }
    free(line);
    fclose(copy);
    cr_assert(found, "no line starting with '%s' in:\n%s", prefix, all);
    return all;
}

/* Writes `source` over `path` as an editor would: `rename` or in place. */
static void save(const char *source, const char *path, bool rename_into_place)
{
    char temporary[256];
    snprintf(temporary, sizeof(temporary), "%s.swp", path);
    const char *target = rename_into_place ? temporary : path;
    FILE *in = fopen(source, "r"), *out = fopen(target, "w");
    cr_assert(in != NULL && out != NULL);
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
        fwrite(buffer, 1, got, out);
    fclose(in);
    cr_assert_eq(fclose(out), 0);
    if (rename_into_place)
        cr_assert_eq(rename(temporary, path), 0);
}

static void watch_two_grades(bool poll, bool rename_into_place)
{
    char dir[64], copy[128];
    grade_test_tmpdir(dir, sizeof(dir));
    snprintf(copy, sizeof(copy), "%s/03-zombies.c", dir);
    struct fl_output started = {0};
    forklab(&started, (const char *const[]){"start", "--dir", dir, "03", NULL});
    cr_assert(fl_status_success(started.status), "start: %s", started.err);
    fl_output_free(&started);

    struct fl_command *command = fl_command_new(FORKLAB_CLI);
    const char *const args[] = {"watch", "--dir", dir, "--count", "2", "03", NULL};
    const char *const poll_args[] = {"watch",  "--dir",      dir,    "--count", "2",
                                     "--poll", "--interval", "0.05", "03",      NULL};
    fl_command_args(command, poll ? poll_args : args);
    fl_command_stdio(command, FL_STDOUT, FL_PIPE);
    struct fl_child *child = NULL;
    cr_assert_eq(fl_command_spawn(command, &child), 0, "%s", fl_command_strerror(command));
    FILE *out = fdopen(fl_child_take_fd(child, FL_STDOUT), "r");
    cr_assert_not_null(out);

    /* The first grade is of the broken copy; then the watch is armed. */
    char *first = read_until(out, "watching ");
    cr_expect_not_null(strstr(first, "score: 3/8"), "%s", first);
    save(SUBMISSION("zombies-fixed.c"), copy, rename_into_place);
    char *second = read_until(out, "score: ");
    cr_expect_not_null(strstr(second, "changed: grading again"), "%s", second);
    cr_expect_not_null(strstr(second, "score: 8/8"), "%s", second);
    fclose(out);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_expect(fl_status_success(status), "watch ended with %d: the last grade was full marks",
              fl_status_code(status));
    free(first);
    free(second);
    fl_child_free(&child);
    fl_command_free(&command);

    /* The last grade is the saved status. */
    struct fl_output list = {0};
    forklab(&list, (const char *const[]){"list", "--dir", dir, NULL});
    cr_expect_not_null(strstr(list.out, "03-zombies             passing      8/8"), "%s", list.out);
    fl_output_free(&list);
    grade_test_rmdir(dir);
}

Test(watch, grades_again_when_an_editor_renames_a_new_file_into_place)
{
    test_deadline(120);
    watch_two_grades(false, true);
}

Test(watch, grades_again_when_the_file_is_written_in_place)
{
    test_deadline(120);
    watch_two_grades(false, false);
}

Test(watch, poll_mode_sees_the_save_too)
{
    test_deadline(120);
    watch_two_grades(true, true);
}
