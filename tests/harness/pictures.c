/* The pictures of a run, from real runs of the pitfalls: the timeline (fork,
 * exec, exit, reap, in order, the reaper named), the descriptor tables at
 * exec, exit and the timeout with the blocked reader and the end that kept
 * it waiting, and the text descriptor view, read back and compared with the
 * JSON report's tables of the same run (not with a stored text). */
#include "harness_test.h"
#include "render/render.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PITFALL(name) FORKLAB_PLAIN_DIR "/pitfalls/" name
/* Far above the few seconds a run takes: a test that hangs fails. */
#define TEST_ALARM_S 30

static json_t *process_json(json_t *root, pid_t pid)
{
    size_t i;
    json_t *process;
    json_array_foreach(json_object_get(root, "processes"), i, process)
    {
        if (json_integer_value(json_object_get(process, "pid")) == pid)
            return process;
    }
    cr_assert_fail("pid %d is not in the JSON report", (int)pid);
    return NULL;
}

/* The first event of a kind in a process's "events", or NULL. */
static json_t *event_json(json_t *process, const char *kind)
{
    size_t i;
    json_t *event;
    json_array_foreach(json_object_get(process, "events"), i, event)
    {
        if (strcmp(json_string_value(json_object_get(event, "event")), kind) == 0)
            return event;
    }
    return NULL;
}

static json_int_t integer_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    cr_assert(json_is_integer(value), "\"%s\" is not an integer", key);
    return json_integer_value(value);
}

/* Each process's events come in the run's order, with times that never go
 * back, fork first; a reap comes after the exit. */
static void assert_timeline_ordered(json_t *root)
{
    size_t i, j;
    json_t *process, *event;
    json_array_foreach(json_object_get(root, "processes"), i, process)
    {
        json_int_t last_seq = 0, last_us = -1;
        json_array_foreach(json_object_get(process, "events"), j, event)
        {
            if (j == 0)
                cr_expect_str_eq(json_string_value(json_object_get(event, "event")), "fork");
            cr_expect_gt(integer_at(event, "seq"), last_seq);
            cr_expect_geq(integer_at(event, "at_us"), last_us);
            last_seq = integer_at(event, "seq");
            last_us = integer_at(event, "at_us");
        }
        json_t *exit = event_json(process, "exit"), *reap = event_json(process, "reap");
        cr_expect_not_null(exit, "pid %lld never exited", integer_at(process, "pid"));
        if (reap != NULL && exit != NULL)
            cr_expect_gt(integer_at(reap, "seq"), integer_at(exit, "seq"));
    }
}

/* Pitfall 03: the parent waits for its last worker only. That one is
 * reaped by its parent; the two others stay zombies until the parent's exit,
 * when forklab (the subreaper) reaps them. */
Test(pictures, zombie_timeline)
{
    alarm(TEST_ALARM_S);
    char *argv[] = {PITFALL("03-zombies"), NULL};
    struct report report;
    run_program(argv, 10000, &report);
    json_t *root = rendered_json(&report);
    assert_timeline_ordered(root);
    pid_t main_pid = report.main_pid;
    json_t *main_exit = event_json(process_json(root, main_pid), "exit");
    cr_assert_not_null(main_exit);
    int by_parent = 0, by_forklab = 0;
    for (size_t i = 0; i < report.process_count; i++) {
        const struct process_record *process = &report.processes[i];
        if (process->pid == main_pid || process->is_thread)
            continue;
        json_t *reap = event_json(process_json(root, process->pid), "reap");
        cr_assert_not_null(reap, "pid %d has no reap event", (int)process->pid);
        json_int_t by = integer_at(reap, "by");
        if (by == main_pid) {
            by_parent++;
        } else {
            cr_expect_eq(by, 0, "pid %d reaped by %lld", (int)process->pid, by);
            cr_expect_gt(integer_at(reap, "seq"), integer_at(main_exit, "seq"),
                         "a zombie reaped by forklab before its parent exited");
            by_forklab++;
        }
    }
    cr_expect_eq(by_parent, 1, "the parent reaped %d workers", by_parent);
    cr_expect_eq(by_forklab, 2, "forklab reaped %d zombies", by_forklab);
    json_decref(root);
    assert_nothing_left(&report);
    report_free(&report);
}

/* The fd of `process`'s timeout table that points to `target` with `end`,
 * or -1. */
static int fd_in(const struct process_event *event, const char *target, const char *end)
{
    for (size_t i = 0; i < event->fd_count; i++)
        if (strcmp(event->fds[i].target, target) == 0 &&
            strcmp(fd_end_name(event->fds[i].target, event->fds[i].access), end) == 0)
            return event->fds[i].fd;
    return -1;
}

/* Pitfall 04: the parent reads fd 3 and holds the write end itself as fd
 * 4; uname got 0 to 4 at its exec, 3 and 4 unasked. */
Test(pictures, leaked_pipe_tables)
{
    alarm(TEST_ALARM_S);
    char *argv[] = {PITFALL("04-leaked-fds"), NULL};
    struct report report;
    run_program(argv, 2000, &report);
    const struct process_record *parent = report_find_process(&report, report.main_pid);
    cr_assert_not_null(parent);
    cr_assert(parent->waiting.valid, "the parent was not blocked at the timeout");
    cr_expect_eq(parent->waiting.fd, 3);
    cr_expect_eq(parent->waiting.access, FD_ACCESS_READ);
    const struct process_event *timeout =
        process_events_find(parent->events, parent->event_count, PROCESS_EVENT_TIMEOUT);
    cr_assert(timeout != NULL && timeout->has_fds);
    cr_expect_eq(fd_in(timeout, parent->waiting.target, "write end"), 4);
    bool held_by_itself = false;
    for (size_t h = 0; h < parent->waiting.holder_count; h++)
        held_by_itself |=
            parent->waiting.holders[h].pid == parent->pid && parent->waiting.holders[h].fd == 4;
    cr_expect(held_by_itself, "the parent's own fd 4 is not named as the writer");
    cr_expect_str_eq(fd_end_name(timeout->fds[1].target, timeout->fds[1].access), "write end");
    cr_expect_str_eq(timeout->fds[1].target, report.stdout_pipe, "fd 1 is not forklab's capture");

    const struct process_record *child = NULL;
    for (size_t i = 0; i < report.process_count; i++)
        if (report.processes[i].pid != report.main_pid && !report.processes[i].is_thread)
            child = &report.processes[i];
    cr_assert_not_null(child);
    const struct process_event *exec =
        process_events_find(child->events, child->event_count, PROCESS_EVENT_EXEC);
    cr_assert(exec != NULL && exec->has_fds && exec->program != NULL);
    cr_expect(strstr(exec->program, "uname") != NULL, "exec of %s", exec->program);
    cr_assert_eq(exec->fd_count, 5, "uname got %zu descriptors", exec->fd_count);
    for (size_t i = 0; i < exec->fd_count; i++)
        cr_expect_eq(exec->fds[i].fd, (int)i);
    cr_expect_eq(fd_in(exec, parent->waiting.target, "write end"), 1, "uname's stdout");
    assert_nothing_left(&report);
    report_free(&report);
}

/* ---- the text view, read back -------------------------------------------- */

/* What the reader of the text view found, compared as it goes. */
struct view_reader {
    json_t *root;
    json_t *process;      /* the JSON process of the last process line */
    json_t *fds;          /* the JSON table of the last table line */
    size_t next_fd;       /* the next row's index in fds */
    char letters[26][32]; /* pipe target of each letter */
    size_t tables, rows;
};

static bool starts_with(const char *line, const char *prefix)
{
    return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* The JSON table of the n-th event with a table of a process. */
static json_t *nth_table(json_t *process, size_t n, const char **kind)
{
    size_t i;
    json_t *event;
    json_array_foreach(json_object_get(process, "events"), i, event)
    {
        if (json_object_get(event, "fds") != NULL && n-- == 0) {
            *kind = json_string_value(json_object_get(event, "event"));
            return json_object_get(event, "fds");
        }
    }
    return NULL;
}

static bool waits_on(json_t *root, pid_t pid, int fd, bool *holds)
{
    size_t i, h;
    json_t *process, *holder;
    bool waits = false;
    *holds = false;
    json_array_foreach(json_object_get(root, "processes"), i, process)
    {
        json_t *waiting = json_object_get(process, "waiting");
        if (!json_is_object(waiting))
            continue;
        if (json_integer_value(json_object_get(process, "pid")) == pid &&
            json_integer_value(json_object_get(waiting, "fd")) == fd)
            waits = true;
        json_array_foreach(json_object_get(waiting, "held_by"), h, holder)
        {
            if (json_integer_value(json_object_get(holder, "pid")) == pid &&
                json_integer_value(json_object_get(holder, "fd")) == fd)
                *holds = true;
        }
    }
    return waits;
}

static void read_fd_row(struct view_reader *reader, const char *line, const char *kind)
{
    cr_assert_not_null(reader->fds, "a descriptor row before any table: %s", line);
    json_t *fd = json_array_get(reader->fds, reader->next_fd++);
    cr_assert_not_null(fd, "a row the JSON table does not have: %s", line);
    int number = atoi(line);
    cr_expect_eq(number, integer_at(fd, "fd"), "row %s", line);
    const char *target = json_string_value(json_object_get(fd, "target"));
    const char *end = json_string_value(json_object_get(fd, "end"));
    char letter;
    char row_end[16];
    if (strcmp(json_string_value(json_object_get(fd, "kind")), "pipe") == 0 &&
        sscanf(strstr(line, "pipe ") ? strstr(line, "pipe ") : "", "pipe %c, %15[a-z ]", &letter,
               row_end) == 2 &&
        letter >= 'a' && letter <= 'z') {
        char *slot = reader->letters[letter - 'a'];
        if (slot[0] == '\0')
            snprintf(slot, sizeof(reader->letters[0]), "%s", target);
        cr_expect_str_eq(slot, target, "pipe %c names two pipes", letter);
        cr_expect(starts_with(row_end, end), "row %s: not the %s", line, end);
    } else {
        cr_expect(strstr(line, target) != NULL, "row %s does not show %s", line, target);
    }
    pid_t pid = (pid_t)integer_at(reader->process, "pid");
    bool holds, waits = waits_on(reader->root, pid, number, &holds);
    bool at_timeout = strcmp(kind, "timeout") == 0;
    cr_expect_eq(strstr(line, "<- blocked here") != NULL, at_timeout && waits, "row %s", line);
    cr_expect_eq(strstr(line, "<- held open") != NULL, at_timeout && holds && !waits, "row %s",
                 line);
    reader->rows++;
}

/* Reads the descriptor view out of a text report and compares each row with
 * the JSON report's tables. Returns the rows compared. */
static size_t compare_view(const char *text, json_t *root)
{
    struct view_reader reader = {.root = root};
    const char *view = strstr(text, "\nDescriptors (");
    cr_assert_not_null(view, "the text report has no descriptor view");
    size_t table_index = 0;
    const char *kind = "";
    char line[256];
    for (const char *at = view + 1; *at != '\0' && *at != '\n';) {
        size_t length = strcspn(at, "\n");
        cr_expect_leq(length, 80, "a line of %zu columns: %.*s", length, (int)length, at);
        snprintf(line, sizeof(line), "%.*s", (int)length, at);
        at += length + (at[length] == '\n');
        const char *body = line + strspn(line, " ");
        size_t indent = (size_t)(body - line);
        if (indent == 2 && *body >= '0' && *body <= '9') {
            reader.process = process_json(root, (pid_t)atoi(body));
            table_index = 0;
        } else if (indent == 4 && (starts_with(body, "after exec") || starts_with(body, "at "))) {
            cr_assert_not_null(reader.process);
            reader.fds = nth_table(reader.process, table_index++, &kind);
            cr_assert_not_null(reader.fds, "a table the JSON report does not have: %s", line);
            const char *shown = starts_with(body, "after exec") ? "exec"
                                : starts_with(body, "at exit")  ? "exit"
                                                                : "timeout";
            cr_expect_str_eq(kind, shown, "%s", line);
            reader.next_fd = 0;
            reader.tables++;
        } else if (indent > 4 && *body >= '0' && *body <= '9') {
            read_fd_row(&reader, body, kind);
        } else if (starts_with(body, "pipe ") && strstr(body, " is ") != NULL) {
            char letter, target[64];
            cr_assert_eq(sscanf(body, "pipe %c is %63[^:]:[", &letter, target), 2, "%s", line);
            char named[80];
            snprintf(named, sizeof(named), "%.70s", strstr(body, " is ") + 4);
            named[strcspn(named, ":")] = '\0';
            cr_expect(starts_with(strstr(body, " is ") + 4, reader.letters[letter - 'a']),
                      "legend %s, rows said %s", line, reader.letters[letter - 'a']);
        }
    }
    cr_expect_gt(reader.tables, 0);
    return reader.rows;
}

static void check_text_view(const char *program, long timeout_ms)
{
    alarm(TEST_ALARM_S);
    char *argv[] = {(char *)program, NULL};
    struct report report;
    run_program(argv, timeout_ms, &report);
    json_t *root = rendered_json(&report);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    struct text_options options = {.colour = false, .fds = FDS_VIEW_ALWAYS};
    cr_assert_eq(render_text_with(&report, out, &options), 0);
    fclose(out);
    size_t rows = compare_view(text, root);
    size_t expected = 0, i, e;
    json_t *process, *event;
    json_array_foreach(json_object_get(root, "processes"), i, process)
    {
        json_array_foreach(json_object_get(process, "events"), e, event)
        {
            expected += json_array_size(json_object_get(event, "fds"));
        }
    }
    cr_expect_eq(rows, expected, "%zu rows in the view, %zu descriptors in the tables", rows,
                 expected);
    free(text);
    json_decref(root);
    assert_nothing_left(&report);
    report_free(&report);
}

Test(pictures, text_view_of_a_leaked_pipe)
{
    check_text_view(PITFALL("04-leaked-fds"), 2000);
}

Test(pictures, text_view_of_a_pipe_deadlock)
{
    check_text_view(PITFALL("08-pipe-deadlock"), 2000);
}

Test(pictures, text_view_of_zombies)
{
    check_text_view(PITFALL("03-zombies"), 10000);
}

/* Shown by default only where it explains a finding: a timeout or a leak. */
Test(pictures, text_view_by_default)
{
    alarm(TEST_ALARM_S);
    char *argv[] = {PITFALL("04-leaked-fds"), NULL};
    struct report report;
    run_program(argv, 2000, &report);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    render_text_styled(&report, out, false);
    fclose(out);
    cr_expect(strstr(text, "\nDescriptors (") != NULL, "no view after a timeout");
    cr_expect(strstr(text, "\033[") == NULL, "colours without being asked");
    free(text);
    report_free(&report);

    char *clean[] = {FORKLAB_PLAIN_DIR "/solutions/04-leaked-fds", NULL};
    run_program(clean, 10000, &report);
    cr_assert_eq(report.finding_count, 0);
    out = open_memstream(&text, &size);
    render_text_styled(&report, out, false);
    fclose(out);
    cr_expect(strstr(text, "\nDescriptors (") == NULL, "a view without a finding asking for it");
    free(text);
    assert_nothing_left(&report);
    report_free(&report);
}
