/* grade_submission: compile -> run under the harness -> score. The program
 * is built in a private temporary folder and runs in the kit's root with the
 * exercise's arguments, stdin and time limit, as the manifest says (a shell
 * exercise runs its sessions instead: grade/sessions.c); that folder is the
 * grader's business, and no message shows it. */
#include "grade/grade.h"
#include "core/clock.h"

#include "check/check.h"
#include "grade/sessions.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void grade_options_init(struct grade_options *options)
{
    memset(options, 0, sizeof(*options));
    options->max_memory_mib = CHECK_DEFAULT_MAX_MEMORY_MIB;
}

void grade_result_init(struct grade_result *result)
{
    memset(result, 0, sizeof(*result));
    report_init(&result->report);
}

void grade_result_free(struct grade_result *result)
{
    free(result->submission);
    free(result->explanation);
    for (size_t i = 0; result->compile.argv != NULL && result->compile.argv[i] != NULL; i++)
        free(result->compile.argv[i]);
    free(result->compile.argv);
    free(result->compile.output);
    report_free(&result->report);
    for (size_t i = 0; i < result->check_count; i++)
        free(result->checks[i].detail);
    free(result->checks);
    grade_sessions_free(result);
    grade_result_init(result);
}

int grade_check_in(const struct grade_options *options, char *const *argv, const char *stdin_path,
                   const char *dir, bool every_schedule, struct report *report, char *why,
                   size_t why_size)
{
    struct check_options check;
    check_options_init(&check);
    check.argv = argv;
    check.timeout_ms =
        options->timeout_ms > 0 ? options->timeout_ms : options->exercise->timeout_ms;
    if (options->max_procs > 0)
        check.max_procs = options->max_procs;
    check.max_memory_mib = options->max_memory_mib;
    check.valgrind = options->valgrind;
    check.stdin_path = stdin_path; /* relative to `dir` */
    check.output_cap = GRADE_OUTPUT_CAP;
    check.run_as = options->run_as;
    check.run_uid = options->run_uid;
    check.run_gid = options->run_gid;
    /* A grade must not depend on luck: every schedule, so that a racy
     * reaper loses its points on every run, not one in five. */
    check.schedules = every_schedule ? CHECK_SCHEDULES_ALL : CHECK_SCHEDULES_NATURAL;
    /* An exercise that grades "close what you open" sees every descriptor. */
    for (size_t i = 0; i < options->exercise->check_count; i++)
        check.strict_fds |= options->exercise->checks[i].test == MANIFEST_TEST_CLOSES_WHAT_IT_OPENS;

    int previous = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (previous < 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot remember the working directory: %s", strerror(errno));
        return error;
    }
    int error = 0;
    if (chdir(dir) != 0) {
        error = -errno;
        snprintf(why, why_size, "cannot enter %s: %s", dir, strerror(errno));
    } else {
        error = check_run(&check, report, why, why_size);
        if (fchdir(previous) != 0 && error == 0) {
            error = -errno;
            snprintf(why, why_size, "cannot return to the working directory: %s", strerror(errno));
        }
    }
    close(previous);
    return error;
}

/* Runs the built program under the harness, in the kit's root: the
 * manifest's paths (arguments, stdin) are relative to it. */
static int run_program(const struct grade_options *options, const char *program,
                       struct grade_result *result, char *why, size_t why_size)
{
    const struct manifest_pitfall *exercise = options->exercise;
    char *argv[exercise->arg_count + 2];
    argv[0] = (char *)program;
    for (size_t i = 0; i < exercise->arg_count; i++)
        argv[i + 1] = exercise->args[i];
    argv[exercise->arg_count + 1] = NULL;
    int error = grade_check_in(options, argv, exercise->stdin_path, options->kit->root, true,
                               &result->report, why, why_size);
    if (error == 0)
        result->ran = true;
    return error;
}

/* Removes every occurrence of `prefix` from `text`, in place. */
static void remove_prefix(char *text, const char *prefix)
{
    size_t prefix_length = strlen(prefix);
    char *found = strstr(text, prefix);
    if (found == NULL)
        return;
    char *to = found;
    const char *from = found;
    while (*from != '\0') {
        if (strncmp(from, prefix, prefix_length) == 0) {
            from += prefix_length;
            continue;
        }
        *to++ = *from++;
    }
    *to = '\0';
}

/* The same in every string of a finding's evidence. */
static int remove_prefix_json(json_t *value, const char *prefix)
{
    if (json_is_string(value) && strstr(json_string_value(value), prefix) != NULL) {
        char *text = strdup(json_string_value(value));
        if (text == NULL)
            return -ENOMEM;
        remove_prefix(text, prefix);
        int error = json_string_set(value, text) == 0 ? 0 : -ENOMEM;
        free(text);
        return error;
    }
    const char *key;
    json_t *item;
    size_t index;
    int error = 0;
    if (json_is_object(value)) {
        json_object_foreach(value, key, item)
        {
            if (error == 0)
                error = remove_prefix_json(item, prefix);
        }
    } else if (json_is_array(value)) {
        json_array_foreach(value, index, item)
        {
            if (error == 0)
                error = remove_prefix_json(item, prefix);
        }
    }
    return error;
}

/* The same in everything a report holds but the program's own output. */
static int hide_in_report(struct report *report, const char *prefix)
{
    if (report->program != NULL)
        remove_prefix(report->program, prefix);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++)
        remove_prefix(report->argv[i], prefix);
    for (size_t i = 0; i < report->process_count; i++)
        for (size_t j = 0; j < report->processes[i].program_count; j++)
            remove_prefix(report->processes[i].programs[j], prefix);
    for (size_t i = 0; i < report->finding_count; i++) {
        remove_prefix(report->findings[i].message, prefix);
        int error = remove_prefix_json(report->findings[i].evidence, prefix);
        if (error < 0)
            return error;
    }
    return 0;
}

/* Names the program by its own name ("03-zombies") wherever the compiler or
 * the harness wrote its temporary path: a student has never seen that
 * folder, and two runs would differ only by it. The compile command then
 * reads as the student would type it in their own folder. What the program
 * itself printed is data for the checks and stays as it is. */
static int hide_build_folder(struct grade_result *result, const char *folder)
{
    char prefix[PATH_MAX + 1];
    snprintf(prefix, sizeof(prefix), "%s/", folder);
    for (size_t i = 0; result->compile.argv != NULL && result->compile.argv[i] != NULL; i++)
        remove_prefix(result->compile.argv[i], prefix);
    if (result->compile.output != NULL) {
        remove_prefix(result->compile.output, prefix);
        result->compile.output_length = strlen(result->compile.output);
    }
    int error = hide_in_report(&result->report, prefix);
    for (size_t i = 0; error == 0 && i < result->session_count; i++)
        error = hide_in_report(&result->sessions[i].report, prefix);
    return error;
}

int grade_submission(const struct grade_options *options, struct grade_result *result, char *why,
                     size_t why_size)
{
    grade_result_init(result);
    result->exercise = options->exercise;
    result->submission =
        strdup(options->shown_as != NULL ? options->shown_as : options->submission);
    if (result->submission == NULL) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    if (grade_max_score(options->exercise, options->only_check) < 0) {
        snprintf(why, why_size, "exercise %s has no check called %s", options->exercise->name,
                 options->only_check);
        return -EINVAL;
    }
    long start = clock_now_ms();

    /* A folder of our own (0700) for the program and the copy of the
     * submission: nothing else can be mistaken for them, or reach them. */
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    char folder[PATH_MAX];
    int length = snprintf(folder, sizeof(folder), "%s/forklab-grade-XXXXXX", tmp);
    if (length < 0 || (size_t)length >= sizeof(folder)) {
        snprintf(why, why_size, "TMPDIR=%s: the path is too long", tmp);
        return -ENAMETOOLONG;
    }
    if (mkdtemp(folder) == NULL) {
        int error = -errno;
        snprintf(why, why_size, "cannot create a folder in %s: %s", tmp, strerror(errno));
        return error;
    }
    /* The path as the kernel knows it (TMPDIR may be relative or a link):
     * the compiler runs elsewhere, and the harness reports this path. */
    char resolved[PATH_MAX], program[PATH_MAX], sources[PATH_MAX], copy[PATH_MAX];
    int error = realpath(folder, resolved) != NULL ? 0 : -errno;
    if (error == 0 &&
        (snprintf(program, sizeof(program), "%s/%s", resolved, options->exercise->name) >=
             (int)sizeof(program) ||
         snprintf(sources, sizeof(sources), "%s/src", resolved) >= (int)sizeof(sources)))
        error = -ENAMETOOLONG;
    if (error == 0 && mkdir(sources, 0700) != 0)
        error = -errno;
    if (error < 0)
        snprintf(why, why_size, "%s: %s", folder, strerror(-error));
    if (error == 0)
        error =
            grade_copy_submission(options->submission, sources, copy, sizeof(copy), why, why_size);
    /* Another user must reach the program through our private folder, and
     * only that: it can execute the program but not list or change the
     * folder, nor enter the copy of the submission (0700). */
    if (error == 0 && options->run_as && chmod(resolved, 0711) != 0) {
        error = -errno;
        snprintf(why, why_size, "%s: %s", resolved, strerror(errno));
    }
    if (error == 0)
        error =
            grade_compile(options, copy[0] != '\0' ? copy : NULL, program, result, why, why_size);
    if (error == 0 && result->status == GRADE_GRADED && options->run_as &&
        chmod(program, 0755) != 0) /* whatever our umask made it */
        error = -errno;
    if (error == 0 && result->status == GRADE_GRADED)
        error = options->exercise->session_count > 0
                    ? grade_run_sessions(options, program, resolved, result, why, why_size)
                    : run_program(options, program, result, why, why_size);
    if (error == 0)
        error = hide_build_folder(result, resolved);
    if (error == 0)
        error = grade_score(options, result);
    if (error == -ENOMEM)
        snprintf(why, why_size, "out of memory");
    grade_remove_tree(folder); /* the program, and the copy with what the compiler left */
    result->duration_ms = clock_now_ms() - start;
    return error;
}
