/* The batch grader: a pool of `jobs` grading processes, one forked per
 * student, each sending its grade back through a pipe as one JSON document;
 * the parent is a subreaper, so nothing a submission starts outlives it. */

/* Why a result can be trusted: the grading process writes its JSON only
 * after check_run returned, when no process of the submission exists any
 * more; the parent accepts it only if the process then exited with status 0
 * and the pipe holds exactly one grade document. What the submission prints
 * goes to the harness's own pipes, never to this one. */
#include "grade/grade_all.h"
#include "core/clock.h"

#include "grade/render/grade_render.h"
#include "trace/sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The grading process's exit status when grading itself failed (its pipe
 * then holds the reason as text). */
#define WORKER_GRADING_FAILED 3
/* A grade is a few hundred kilobytes at most (the captured output is
 * capped); more than this is not a grade. */
#define GRADE_MESSAGE_MAX (16 * 1024 * 1024)
/* Beyond the compile and run limits, how long a grading process may take
 * before the parent decides it is stuck and kills it. */
#define WORKER_SLACK_MS 30000

/* ---- finding the students ------------------------------------------------- */

static bool ends_with_c(const char *name)
{
    size_t length = strlen(name);
    return length > 2 && strcmp(name + length - 2, ".c") == 0;
}

static int compare_students(const void *a, const void *b)
{
    return strcmp(((const struct grade_all_student *)a)->name,
                  ((const struct grade_all_student *)b)->name);
}

static int add_student(struct grade_all_result *result, size_t *capacity, const char *folder,
                       const char *entry, bool is_file)
{
    if (result->count == *capacity) {
        size_t grown_capacity = *capacity ? *capacity * 2 : 32;
        struct grade_all_student *grown =
            realloc(result->students, grown_capacity * sizeof(*grown));
        if (grown == NULL)
            return -ENOMEM;
        result->students = grown;
        *capacity = grown_capacity;
    }
    struct grade_all_student *student = &result->students[result->count];
    memset(student, 0, sizeof(*student));
    student->name = strndup(entry, is_file ? strlen(entry) - 2 : strlen(entry));
    if (student->name == NULL || asprintf(&student->submission, "%s/%s", folder, entry) < 0) {
        free(student->name);
        return -ENOMEM;
    }
    result->count++;
    return 0;
}

static int add_skipped(struct grade_all_result *result, const char *entry)
{
    char **grown = realloc(result->skipped, (result->skipped_count + 1) * sizeof(char *));
    if (grown == NULL)
        return -ENOMEM;
    result->skipped = grown;
    result->skipped[result->skipped_count] = strdup(entry);
    if (result->skipped[result->skipped_count] == NULL)
        return -ENOMEM;
    result->skipped_count++;
    return 0;
}

int grade_all_list(const char *folder, struct grade_all_result *result, char *why, size_t why_size)
{
    memset(result, 0, sizeof(*result));
    DIR *stream = opendir(folder);
    if (stream == NULL) {
        int error = -errno;
        snprintf(why, why_size, "%s: %s", folder, strerror(errno));
        return error;
    }
    size_t capacity = 0;
    int error = 0;
    struct dirent *entry;
    while (error == 0 && (entry = readdir(stream)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        struct stat status;
        if (snprintf(path, sizeof(path), "%s/%s", folder, entry->d_name) >= (int)sizeof(path) ||
            stat(path, &status) != 0)
            error = add_skipped(result, entry->d_name);
        else if (S_ISDIR(status.st_mode))
            error = add_student(result, &capacity, folder, entry->d_name, false);
        else if (S_ISREG(status.st_mode) && ends_with_c(entry->d_name))
            error = add_student(result, &capacity, folder, entry->d_name, true);
        else
            error = add_skipped(result, entry->d_name);
    }
    closedir(stream);
    if (error < 0) {
        snprintf(why, why_size, "out of memory");
        grade_all_result_free(result);
        return error;
    }
    qsort(result->students, result->count, sizeof(*result->students), compare_students);
    for (size_t i = 1; i < result->count; i++)
        if (strcmp(result->students[i - 1].name, result->students[i].name) == 0) {
            snprintf(why, why_size, "%s and %s would both be student %s: rename one of them",
                     result->students[i - 1].submission, result->students[i].submission,
                     result->students[i].name);
            grade_all_result_free(result);
            return -EEXIST;
        }
    return 0;
}

void grade_all_result_free(struct grade_all_result *result)
{
    for (size_t i = 0; i < result->count; i++) {
        free(result->students[i].name);
        free(result->students[i].submission);
        free(result->students[i].copy);
        json_decref(result->students[i].grade);
        free(result->students[i].error);
    }
    free(result->students);
    for (size_t i = 0; i < result->skipped_count; i++)
        free(result->skipped[i]);
    free(result->skipped);
    memset(result, 0, sizeof(*result));
}

/* ---- one grading process ---------------------------------------------------- */

static bool write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t put = write(fd, data, length);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        data += put;
        length -= (size_t)put;
    }
    return true;
}

/* The grading process: grades one student and sends the result. It ends
 * with _exit, not exit: exit would flush stdio buffers copied from the
 * parent and run the parent's atexit handlers a second time. */
static void worker_main(const struct grade_all_options *options,
                        const struct grade_all_student *student, int result_fd)
{
    /* If the batch dies, this grading is pointless: go too. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct grade_options grade = options->grade;
    grade.submission = student->copy;
    grade.shown_as = student->submission;
    struct grade_result result;
    char why[PATH_MAX + 256] = "";
    if (grade_submission(&grade, &result, why, sizeof(why)) < 0) {
        write_all(result_fd, why, strlen(why));
        _exit(WORKER_GRADING_FAILED);
    }
    json_t *document = grade_result_to_json(&result);
    char *text = document != NULL ? json_dumps(document, JSON_COMPACT) : NULL;
    if (text == NULL) {
        static const char oom[] = "out of memory while writing the grade";
        write_all(result_fd, oom, sizeof(oom) - 1);
        _exit(WORKER_GRADING_FAILED);
    }
    _exit(write_all(result_fd, text, strlen(text)) ? 0 : WORKER_GRADING_FAILED);
}

/* A grading process as the parent sees it. */
struct worker {
    pid_t pid;
    int fd; /* the read end of its result pipe */
    size_t student;
    long started, deadline;
    bool killed; /* past its deadline */
    char *message;
    size_t length, capacity;
};

static int worker_start(const struct grade_all_options *options,
                        const struct grade_all_result *result, size_t student,
                        struct worker *workers, size_t running, struct worker *worker)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        return -errno;
    /* Anything still in our stdio buffers would be copied into the child. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int error = -errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return error;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        for (size_t i = 0; i < running; i++)
            close(workers[i].fd); /* the other students' pipes are not ours */
        worker_main(options, &result->students[student], pipe_fds[1]);
    }
    close(pipe_fds[1]); /* else the pipe would never reach end of file */
    long limit = options->grade.timeout_ms > 0 ? options->grade.timeout_ms
                                               : options->grade.exercise->timeout_ms;
    if (options->grade.valgrind)
        limit *= 4; /* the valgrind pass runs the program again, much slower */
    memset(worker, 0, sizeof(*worker));
    worker->pid = pid;
    worker->fd = pipe_fds[0];
    worker->student = student;
    worker->started = clock_now_ms();
    long compile_limit = options->grade.compile_timeout_ms > 0 ? options->grade.compile_timeout_ms
                                                               : GRADE_COMPILE_TIMEOUT_MS;
    worker->deadline = worker->started + compile_limit + limit + WORKER_SLACK_MS;
    return 0;
}

/* Reads what is ready. Returns 1 at end of file, 0 for more to come, or a
 * negative errno. */
static int worker_read(struct worker *worker)
{
    char chunk[65536];
    ssize_t got = read(worker->fd, chunk, sizeof(chunk));
    if (got < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -errno;
    if (got == 0)
        return 1;
    if (worker->length + (size_t)got > GRADE_MESSAGE_MAX)
        return 0; /* read on and drop: it is not a grade; see worker_finish */
    if (worker->length + (size_t)got + 1 > worker->capacity) {
        size_t capacity = worker->capacity ? worker->capacity : 65536;
        while (worker->length + (size_t)got + 1 > capacity)
            capacity *= 2;
        char *grown = realloc(worker->message, capacity);
        if (grown == NULL)
            return -ENOMEM;
        worker->message = grown;
        worker->capacity = capacity;
    }
    memcpy(worker->message + worker->length, chunk, (size_t)got);
    worker->length += (size_t)got;
    return 0;
}

/* Whether `document` is a grade of this exercise. */
static bool is_grade(json_t *document, const struct grade_options *grade)
{
    json_t *version = json_object_get(document, "forklab_grade");
    const char *exercise = json_string_value(json_object_get(document, "exercise"));
    return json_is_integer(version) && json_integer_value(version) == 1 && exercise != NULL &&
           strcmp(exercise, grade->exercise->name) == 0 &&
           json_is_integer(json_object_get(document, "score")) &&
           json_is_array(json_object_get(document, "checks"));
}

/* The grading process closed its pipe: reap it and judge what it sent. */
static int worker_finish(const struct grade_all_options *options, struct worker *worker,
                         struct grade_all_student *student)
{
    close(worker->fd);
    int status = 0;
    while (waitpid(worker->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    student->duration_ms = clock_now_ms() - worker->started;
    int error = 0;
    if (worker->killed) {
        error = asprintf(&student->error, "grading took longer than %ld s and was stopped",
                         (worker->deadline - worker->started) / 1000);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        /* A program that printed a NUL has it in its grade (as \u0000):
         * valid JSON, which jansson reads only when told to. */
        json_error_t parse_error;
        json_t *document = worker->message != NULL ? json_loadb(worker->message, worker->length,
                                                                JSON_ALLOW_NUL, &parse_error)
                                                   : NULL;
        if (document != NULL && is_grade(document, &options->grade))
            student->grade = document;
        else {
            json_decref(document);
            error = asprintf(&student->error, "the grading process sent no valid grade");
        }
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_GRADING_FAILED) {
        error =
            asprintf(&student->error, "%.*s", (int)(worker->length < 1024 ? worker->length : 1024),
                     worker->message != NULL ? worker->message : "grading failed");
    } else if (WIFSIGNALED(status)) {
        error = asprintf(&student->error, "the grading process was killed by signal %d",
                         WTERMSIG(status));
    } else {
        error = asprintf(&student->error, "the grading process exited with status %d",
                         WEXITSTATUS(status));
    }
    free(worker->message);
    worker->message = NULL;
    return error < 0 ? -ENOMEM : 0;
}

/* ---- the private copies ------------------------------------------------------- */

/* Copies every submission into `staging`/N (0700 each, in a 0700 folder)
 * before any of them runs: a program graded first cannot change one graded
 * later. A submission that cannot be copied gets an error, not a grade. */
static int copy_submissions(struct grade_all_result *result, const char *staging)
{
    for (size_t i = 0; i < result->count; i++) {
        struct grade_all_student *student = &result->students[i];
        char into[PATH_MAX], copy[PATH_MAX] = "", why[PATH_MAX + 128] = "";
        int error = snprintf(into, sizeof(into), "%s/%zu", staging, i) < (int)sizeof(into)
                        ? 0
                        : -ENAMETOOLONG;
        if (error == 0 && mkdir(into, 0700) != 0)
            error = -errno;
        if (error < 0)
            snprintf(why, sizeof(why), "%s: %s", into, strerror(-error));
        else
            error = grade_copy_submission(student->submission, into, copy, sizeof(copy), why,
                                          sizeof(why));
        if (error == 0 && copy[0] == '\0') {
            snprintf(why, sizeof(why), "%s is neither a file nor a folder", student->submission);
            error = -EINVAL;
        }
        if (error == -ENOMEM)
            return error;
        if (error < 0 ? asprintf(&student->error, "cannot copy the submission: %s", why) < 0
                      : (student->copy = strdup(copy)) == NULL)
            return -ENOMEM;
    }
    return 0;
}

/* ---- the pool --------------------------------------------------------------- */

/* Waits for the grading processes; returns after at least one finished. */
static int pool_step(const struct grade_all_options *options, struct grade_all_result *result,
                     struct worker *workers, size_t *running)
{
    struct pollfd ready[*running];
    long now = clock_now_ms(), wait = -1;
    for (size_t i = 0; i < *running; i++) {
        ready[i] = (struct pollfd){.fd = workers[i].fd, .events = POLLIN};
        long left = workers[i].deadline - now;
        if (!workers[i].killed && (wait < 0 || left < wait))
            wait = left > 0 ? left : 0;
    }
    int polled = poll(ready, *running, (int)wait);
    if (polled < 0 && errno != EINTR)
        return -errno;
    now = clock_now_ms();
    for (size_t i = 0; i < *running;) {
        struct worker *worker = &workers[i];
        int done = 0;
        if (polled > 0 && ready[i].revents != 0)
            done = worker_read(worker);
        if (done == 0 && !worker->killed && now >= worker->deadline) {
            /* Stuck past every limit. Its tracees die with it
             * (PTRACE_O_EXITKILL); the pipe then reaches end of file. */
            kill(worker->pid, SIGKILL);
            worker->killed = true;
        }
        if (done < 0)
            return done;
        if (done == 0) {
            i++;
            continue;
        }
        struct grade_all_student *student = &result->students[worker->student];
        int error = worker_finish(options, worker, student);
        if (error < 0)
            return error;
        if (options->on_graded != NULL)
            options->on_graded(student, options->context);
        /* Keep `workers` packed, and `ready` in step with it. */
        workers[i] = workers[*running - 1];
        ready[i] = ready[*running - 1];
        (*running)--;
    }
    return 0;
}

/* Grades the students with a copy, `jobs` at a time. */
static int grade_all_pool(const struct grade_all_options *options, struct grade_all_result *result,
                          char *why, size_t why_size)
{
    int jobs = options->jobs > 0 ? options->jobs : 1;
    struct worker *workers = calloc((size_t)jobs, sizeof(*workers));
    if (workers == NULL) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    /* Orphans of a grading process that had to be killed come back to us. */
    int old_subreaper = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &old_subreaper, 0, 0, 0);
    int error = sandbox_become_subreaper();
    if (error < 0)
        snprintf(why, why_size, "cannot become a child subreaper: %s", strerror(-error));

    size_t next = 0, running = 0;
    while (error == 0 && (next < result->count || running > 0)) {
        while (error == 0 && running < (size_t)jobs && next < result->count) {
            if (result->students[next].copy == NULL) { /* no copy: its error is its row */
                if (options->on_graded != NULL)
                    options->on_graded(&result->students[next], options->context);
                next++;
                continue;
            }
            error = worker_start(options, result, next, workers, running, &workers[running]);
            if (error < 0)
                snprintf(why, why_size, "cannot start a grading process: %s", strerror(-error));
            else {
                next++;
                running++;
            }
        }
        if (error == 0 && running > 0) {
            error = pool_step(options, result, workers, &running);
            if (error < 0)
                snprintf(why, why_size, "while grading: %s", strerror(-error));
        }
    }
    /* On an error, stop what still runs; in any case nothing may outlive us. */
    for (size_t i = 0; i < running; i++) {
        kill(workers[i].pid, SIGKILL);
        close(workers[i].fd);
        free(workers[i].message);
    }
    sandbox_kill_descendants();
    prctl(PR_SET_CHILD_SUBREAPER, old_subreaper, 0, 0, 0);
    free(workers);
    return error;
}

int grade_all_run(const struct grade_all_options *options, struct grade_all_result *result,
                  char *why, size_t why_size)
{
    long start = clock_now_ms();
    const char *tmp = getenv("TMPDIR");
    char staging[PATH_MAX];
    snprintf(staging, sizeof(staging), "%s/forklab-grade-all-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(staging) == NULL) {
        int error = -errno;
        snprintf(why, why_size, "cannot create a folder in %s: %s",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", strerror(errno));
        return error;
    }
    int error = copy_submissions(result, staging);
    if (error == 0)
        error = grade_all_pool(options, result, why, why_size);
    else
        snprintf(why, why_size, "out of memory");
    grade_remove_tree(staging);
    result->duration_ms = clock_now_ms() - start;
    return error;
}
