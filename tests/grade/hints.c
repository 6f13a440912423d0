/* The hints, as a student applies them: each exercise's broken program is
 * changed one hint at a time, as the hint says (where the hint is a change
 * a test can make), and graded after each step. Every step leaves a grade
 * that explains what is still wrong: each failing check points to a lesson,
 * to the hang's cause, to the expected line or to the exit status the task
 * asks for, or the compiler says what it refused; and the last step earns
 * full marks. 08's hint (a poll() loop) is a rewrite: 08/poll-loop.c in
 * styles.c is that fix graded. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDITS_MAX 5
#define STEPS_MAX 3

struct edit {
    const char *old, *new; /* `old` must occur exactly once */
};

struct hint_step {
    int hint; /* the hint it applies, from 1 */
    struct edit edits[EDITS_MAX];
    int score;        /* the grade then */
    const char *says; /* what the grade then says of what is left; NULL at full marks */
};

/* Criterion hands each case a copy of its parameter, made in another
 * process: an index into this table, no pointers. */
static const struct hint_path {
    const char *exercise;
    const char *how; /* the order, in words */
    struct hint_step steps[STEPS_MAX];
} paths[] = {
    {"01-nested-forks",
     "taken literally, the hint meets an if without braces; then with them",
     {
         {3,
          {
              {"            count_primes(i, (long)i * LIMIT / WORKERS, (long)(i + 1) * LIMIT / "
               "WORKERS);\n",
               "            count_primes(i, (long)i * LIMIT / WORKERS, (long)(i + 1) * LIMIT / "
               "WORKERS);\n            exit(0);\n"},
              {"#include <stdio.h>\n", "#include <stdio.h>\n#include <stdlib.h>\n"},
          },
          0,
          "does not guard"},
         {3,
          {
              {"        if (pid == 0)\n            count_primes(i, (long)i * LIMIT / WORKERS, "
               "(long)(i + 1) * LIMIT / WORKERS);\n            exit(0);\n",
               "        if (pid == 0) {\n            count_primes(i, (long)i * LIMIT / WORKERS, "
               "(long)(i + 1) * LIMIT / WORKERS);\n            exit(0);\n        }\n"},
          },
          8,
          NULL},
     }},
    {"02-runaway-children",
     "the child's end and the flush first, then the exit status",
     {
         {3,
          {
              {"            fprintf(stderr, \"cannot run %s\\n\", steps[i][0]);\n",
               "            fprintf(stderr, \"cannot run %s\\n\", steps[i][0]);\n            "
               "_exit(127);\n"},
              {"        pid_t pid = fork();\n",
               "        fflush(stdout);\n        pid_t pid = fork();\n"},
          },
          7,
          "expected exit 1, because a step failed"},
         {3,
          {
              {"    return 0;\n}", "    return succeeded == STEPS ? 0 : 1;\n}"},
          },
          8,
          NULL},
     }},
    {"03-zombies",
     "wait until no child is left",
     {
         {3,
          {
              {"    int status;\n    waitpid(pid, &status, 0); /* wait for the workers */\n",
               "    while (wait(NULL) > 0)\n        ;\n"},
          },
          8,
          NULL},
     }},
    {"04-leaked-fds",
     "the parent's close first, then the child's",
     {
         {3,
          {
              {"    char os[64];\n", "    close(fds[1]);\n    char os[64];\n"},
          },
          7,
          "it needs O_CLOEXEC or a close() before the exec"},
         {3,
          {
              {"        dup2(fds[1], STDOUT_FILENO);\n",
               "        dup2(fds[1], STDOUT_FILENO);\n        close(fds[0]);\n        "
               "close(fds[1]);\n"},
          },
          10,
          NULL},
     }},
    {"04-leaked-fds",
     "pipe2(O_CLOEXEC) taken for the whole fix, then the parent's close",
     {
         {3,
          {
              {"    if (pipe(fds) < 0) {\n        perror(\"pipe\");\n",
               "    if (pipe2(fds, O_CLOEXEC) < 0) {\n        perror(\"pipe2\");\n"},
              {"#include <stdio.h>\n", "#include <fcntl.h>\n#include <stdio.h>\n"},
          },
          3,
          "its own copy: close it"},
         {3,
          {
              {"    char os[64];\n", "    close(fds[1]);\n    char os[64];\n"},
          },
          10,
          NULL},
     }},
    {"05-bad-close",
     "one owner for each descriptor, then the exit status",
     {
         {3,
          {
              {"        if (fd < 0)\n            perror(argv[i]);\n        else\n            "
               "sort_from(fd);\n        close(fd);\n",
               "        if (fd < 0)\n            perror(argv[i]);\n        else\n            "
               "sort_from(fd); /* it closes fd */\n"},
          },
          7,
          "because one of the lists could not be opened"},
         {3,
          {
              {"    for (int i = 1; i < argc; i++) {\n",
               "    int status = 0;\n    for (int i = 1; i < argc; i++) {\n"},
              {"            perror(argv[i]);\n", "            perror(argv[i]), status = 1;\n"},
              {"    return 0;\n}", "    return status;\n}"},
          },
          8,
          NULL},
     }},
    {"06-fork-with-threads",
     "no logging in the child",
     {
         {3,
          {
              {"        log_line(\"child: running wc\");\n", ""},
          },
          8,
          NULL},
     }},
    {"07-stdio-buffers",
     "flush before the fork, flush and _exit in the child",
     {
         {3,
          {
              {"        pid_t pid = fork();\n",
               "        fflush(stdout);\n        pid_t pid = fork();\n"},
              {"            exit(0);\n", "            fflush(stdout);\n            _exit(0);\n"},
          },
          8,
          NULL},
     }},
    {"09-stale-pids",
     "the reaping question, then what to say",
     {
         {3,
          {
              {"    while (kill(worker, 0) == 0)\n        usleep(100 * 1000);\n",
               "    int status;\n    while (waitpid(worker, &status, WNOHANG) == 0)\n        "
               "usleep(100 * 1000);\n"},
              {"#include <stdio.h>\n", "#include <stdio.h>\n#include <sys/wait.h>\n"},
          },
          6,
          "expected \"sort: exited with code 0\", got \"sort: done\""},
         {3,
          {
              {"    printf(\"sort: done\\n\");\n",
               "    printf(\"sort: exited with code %d\\n\", WEXITSTATUS(status));\n"},
          },
          8,
          NULL},
     }},
    {"10-fork-cost",
     "posix_spawnp instead of fork and exec",
     {
         {3,
          {
              {"        pid_t pid = fork();\n        if (pid < 0) {\n            "
               "perror(\"fork\");\n            return 1;\n        }\n        if (pid == 0) {\n     "
               "       execlp(\"true\", \"true\", (char *)NULL);\n            _exit(127);\n        "
               "}\n",
               "        char *argv[] = {\"true\", NULL};\n        pid_t pid;\n        if "
               "(posix_spawnp(&pid, \"true\", NULL, NULL, argv, environ) != 0) {\n            "
               "fprintf(stderr, \"cannot start true\\n\");\n            return 1;\n        }\n"},
              {"#include <stdio.h>\n", "#include <spawn.h>\n#include <stdio.h>\n"},
              {"int main(void)\n", "extern char **environ;\n\nint main(void)\n"},
          },
          8,
          NULL},
     }},
    {"11-shell-injection",
     "an argument vector instead of a command line",
     {
         {3,
          {
              {"        char command[1024];\n        snprintf(command, sizeof(command), \"head -n "
               "3 %s\", argv[i]);\n",
               ""},
              {"        if (system(command) != 0)\n            status = 1;\n",
               "        pid_t pid = fork();\n        if (pid == 0) {\n            char *args[] = "
               "{\"head\", \"-n\", \"3\", \"--\", argv[i], NULL};\n            execvp(\"head\", "
               "args);\n            _exit(127);\n        }\n        int result;\n        if (pid < "
               "0 || waitpid(pid, &result, 0) < 0 || !WIFEXITED(result) || WEXITSTATUS(result) != "
               "0)\n            status = 1;\n"},
              {"#include <stdlib.h>\n", "#include <sys/wait.h>\n#include <unistd.h>\n"},
          },
          8,
          NULL},
     }},
    {"12-inherited-signals",
     "an empty mask in the child",
     {
         {3,
          {
              {"    if (job == 0) {\n",
               "    if (job == 0) {\n        sigset_t empty;\n        sigemptyset(&empty);\n       "
               " sigprocmask(SIG_SETMASK, &empty, NULL);\n"},
          },
          8,
          NULL},
     }},
    {"13-orphans",
     "the server stopped on every path, then its whole tree",
     {
         {3,
          {
              {"    if (tests == NULL) {\n        perror(argv[1]);\n        return 1;\n    }\n    "
               "char test[256];\n    while (fgets(test, sizeof(test), tests) != NULL)\n        "
               "printf(\"test %s\", test);\n    fclose(tests);\n",
               "    int status = 0;\n    if (tests == NULL) {\n        perror(argv[1]);\n        "
               "status = 1;\n    } else {\n        char test[256];\n        while (fgets(test, "
               "sizeof(test), tests) != NULL)\n            printf(\"test %s\", test);\n        "
               "fclose(tests);\n    }\n"},
              {"    printf(\"server: stopped\\n\");\n    return 0;\n",
               "    printf(\"server: stopped\\n\");\n    return status;\n"},
          },
          3,
          "Read lessons/13-orphans.md"},
         {3,
          {
              {"    if (server == 0) {\n", "    if (server == 0) {\n        setpgid(0, 0);\n"},
              {"    close(fds[1]);\n    char ready[16];\n",
               "    setpgid(server, server);\n    close(fds[1]);\n    char ready[16];\n"},
              {"    kill(server, SIGTERM);\n    waitpid(server, NULL, 0);\n",
               "    kill(-server, SIGTERM);\n    while (wait(NULL) > 0)\n        ;\n"},
              {"    int fds[2];\n", "    prctl(PR_SET_CHILD_SUBREAPER, 1);\n    int fds[2];\n"},
              {"#include <signal.h>\n", "#include <signal.h>\n#include <sys/prctl.h>\n"},
          },
          8,
          NULL},
     }},
};
#define PATH_COUNT (sizeof(paths) / sizeof(paths[0]))

ParameterizedTestParameters(hints, each_step_is_explained_and_the_last_passes)
{
    static size_t indexes[PATH_COUNT];
    for (size_t i = 0; i < PATH_COUNT; i++)
        indexes[i] = i;
    return cr_make_param_array(size_t, indexes, PATH_COUNT);
}

static char *read_text(const char *path)
{
    FILE *file = fopen(path, "re");
    cr_assert_not_null(file, "%s: %m", path);
    char *text = NULL;
    size_t size = 0;
    cr_assert_geq(getdelim(&text, &size, '\0', file), 0);
    fclose(file);
    return text;
}

/* `text` with `edit` made; asserts that `old` is there exactly once. */
static char *edited(char *text, const struct edit *edit, const char *where)
{
    char *at = strstr(text, edit->old);
    cr_assert_not_null(at, "%s: the program no longer has: %s", where, edit->old);
    cr_assert_null(strstr(at + 1, edit->old), "%s: more than one: %s", where, edit->old);
    size_t before = (size_t)(at - text), old = strlen(edit->old), new = strlen(edit->new);
    char *out = malloc(strlen(text) - old + new + 1);
    cr_assert_not_null(out);
    memcpy(out, text, before);
    memcpy(out + before, edit->new, new);
    strcpy(out + before + new, at + old);
    free(text);
    return out;
}

/* Whether a failing check's words send the student somewhere. */
static bool explains(const struct grade_result *result, const struct grade_check_result *check)
{
    const char *detail = check->detail;
    const struct manifest_pitfall *exercise = result->exercise;
    return strstr(detail, "Read lessons/") != NULL || strstr(detail, "Fix the hang first") ||
           strstr(detail, "stdout differs from the expected output: ") != NULL ||
           (strstr(detail, "expected exit") != NULL &&
            (exercise->exit_why == NULL || strstr(detail, exercise->exit_why) != NULL));
}

ParameterizedTest(size_t *index, hints, each_step_is_explained_and_the_last_passes)
{
    const struct hint_path *path = &paths[*index];
    test_deadline(120);
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    const struct manifest_pitfall *exercise = grade_test_exercise(&manifest, path->exercise);
    char source[512], folder[64], copy[128];
    snprintf(source, sizeof(source), "%s/%s", FORKLAB_SOURCE_DIR, exercise->broken);
    grade_test_tmpdir(folder, sizeof(folder));
    snprintf(copy, sizeof(copy), "%s/%s.c", folder, exercise->name);
    char *text = read_text(source);
    int last_score = -1;
    for (size_t s = 0; s < STEPS_MAX && path->steps[s].hint > 0; s++) {
        const struct hint_step *step = &path->steps[s];
        cr_assert_leq((size_t)step->hint, exercise->hint_count);
        char where[256];
        snprintf(where, sizeof(where), "%s (%s), step %zu, hint %d", exercise->name, path->how,
                 s + 1, step->hint);
        for (size_t e = 0; e < EDITS_MAX && step->edits[e].old != NULL; e++)
            text = edited(text, &step->edits[e], where);
        FILE *out = fopen(copy, "we");
        cr_assert_not_null(out);
        fputs(text, out);
        cr_assert_eq(fclose(out), 0);

        struct grade_result result;
        grade_test_run(&kit, exercise, copy, 0, &result);
        char *shown = grade_test_render_text(grade_render_text, &result);
        cr_expect_eq(result.score, step->score, "%s: %d of %d:\n%s", where, result.score,
                     result.max_score, shown);
        if (step->says != NULL)
            cr_expect_not_null(strstr(shown, step->says), "%s: the grade does not say \"%s\":\n%s",
                               where, step->says, shown);
        if (!result.ran)
            cr_expect(result.compile.output_length > 0, "%s: refused without a word", where);
        for (size_t c = 0; result.ran && c < result.check_count; c++) {
            const struct grade_check_result *check = &result.checks[c];
            if (check->score < check->check->points)
                cr_expect(explains(&result, check), "%s: %s fails without a pointer: %s", where,
                          check->check->id, check->detail);
        }
        last_score = result.score;
        if (step->says == NULL)
            cr_expect_eq(result.score, result.max_score, "%s: the last step must pass", where);
        free(shown);
        grade_result_free(&result);
    }
    cr_expect_geq(last_score, 0);
    free(text);
    grade_test_rmdir(folder);
    manifest_free(&manifest);
}
