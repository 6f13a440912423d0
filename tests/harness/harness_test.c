/* Helpers shared by the harness tests (see harness_test.h). The survivor
 * check reads /proc itself instead of trusting the harness's own sandbox
 * code: it is what that code is tested against. */
#include "harness_test.h"
#include "trace/proc/proc_stat.h"
#include "render/render.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void run_check(struct check_options *options, char *const *argv, struct report *report)
{
    options->argv = argv;
    report_init(report);
    char why[256] = "";
    int status = check_run(options, report, why, sizeof(why));
    cr_assert_eq(status, 0, "check_run(%s) failed: %d (%s)", argv[0], status, why);
}

void run_program(char *const *argv, long timeout_ms, struct report *report)
{
    struct check_options options;
    check_options_init(&options);
    options.timeout_ms = timeout_ms;
    run_check(&options, argv, report);
}

kind_set kinds_of(const struct report *report)
{
    kind_set kinds = NO_KINDS;
    for (size_t i = 0; i < report->finding_count; i++)
        kinds |= KIND(report->findings[i].kind);
    return kinds;
}

const char *kinds_text(kind_set kinds, char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++)
        if (kinds & KIND(kind))
            used += (size_t)snprintf(text + used, used < size ? size - used : 0, "%s%s",
                                     used ? ", " : "", finding_kind_name(kind));
    if (used == 0)
        snprintf(text, size, "(none)");
    return text;
}

const struct finding *find_kind(const struct report *report, enum finding_kind kind)
{
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == kind)
            return &report->findings[i];
    return NULL;
}

bool evidence_contains(const struct finding *finding, const char *text)
{
    char *json = json_dumps(finding->evidence, JSON_COMPACT);
    bool found = json != NULL && strstr(json, text) != NULL;
    free(json);
    return found;
}

struct process_list {
    struct proc_stat *items;
    size_t count;
};

static void list_processes(struct process_list *list)
{
    list->items = NULL;
    list->count = 0;
    size_t capacity = 0;
    DIR *proc = opendir("/proc");
    cr_assert_not_null(proc);
    struct dirent *item;
    while ((item = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(item->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        struct proc_stat stat;
        if (proc_stat_read((pid_t)pid, &stat) < 0)
            continue;
        if (list->count == capacity) {
            capacity = capacity ? capacity * 2 : 256;
            list->items = realloc(list->items, capacity * sizeof(*list->items));
            cr_assert_not_null(list->items);
        }
        list->items[list->count++] = stat;
    }
    closedir(proc);
}

static bool descends_from(const struct process_list *list, pid_t pid, pid_t ancestor)
{
    /* Walk up the parents; the depth bound guards against a cycle made of
     * pids reused while we read. */
    for (int depth = 0; depth < 1000 && pid > 1; depth++) {
        pid_t parent = 0;
        for (size_t i = 0; i < list->count; i++)
            if (list->items[i].pid == pid)
                parent = list->items[i].ppid;
        if (parent == ancestor)
            return true;
        pid = parent;
    }
    return false;
}

void assert_nothing_left(const struct report *report)
{
    struct process_list list;
    list_processes(&list);
    pid_t self = getpid();
    for (size_t i = 0; i < list.count; i++) {
        const struct proc_stat *stat = &list.items[i];
        bool in_target_session = report->main_pid > 0 && (stat->session == report->main_pid ||
                                                          stat->pgrp == report->main_pid);
        cr_assert(!in_target_session,
                  "pid %d (%s, state %c) of the target's session is still there", (int)stat->pid,
                  stat->comm, stat->state);
        cr_assert(!descends_from(&list, stat->pid, self),
                  "pid %d (%s, state %c) descends from the test and is still there", (int)stat->pid,
                  stat->comm, stat->state);
    }
    free(list.items);
}

void assert_verdict_stable(char *const *argv, long timeout_ms, kind_set expected, int runs)
{
    for (int run = 0; run < runs; run++) {
        struct report report;
        run_program(argv, timeout_ms, &report);
        kind_set found = kinds_of(&report);
        char want[256], got[256];
        cr_assert_eq(found, expected, "%s, run %d of %d: found %s, expected %s", argv[0], run + 1,
                     runs, kinds_text(found, got, sizeof(got)),
                     kinds_text(expected, want, sizeof(want)));
        assert_nothing_left(&report);
        report_free(&report);
    }
}

json_t *rendered_json(const struct report *report)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render_json(report, out), 0);
    cr_assert_eq(fclose(out), 0);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "not JSON (%s): %s", error.text, text);
    free(text);
    return root;
}

void holder_probe_open(struct holder_probe *probe)
{
    snprintf(probe->dir, sizeof(probe->dir), "/tmp/forklab-probe-XXXXXX");
    cr_assert_not_null(mkdtemp(probe->dir), "mkdtemp: %s", strerror(errno));
    snprintf(probe->path, sizeof(probe->path), "%s/fifo", probe->dir);
    cr_assert_eq(mkfifo(probe->path, 0600), 0, "mkfifo: %s", strerror(errno));
    probe->read_fd = open(probe->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    cr_assert_geq(probe->read_fd, 0, "open %s: %s", probe->path, strerror(errno));
}

bool holder_probe_all_gone(struct holder_probe *probe, char *text, size_t size)
{
    size_t length = 0;
    ssize_t got;
    char spare[64]; /* what does not fit in `text` is read and dropped */
    for (;;) {
        bool full = length == size - 1;
        got = read(probe->read_fd, full ? spare : text + length,
                   full ? sizeof(spare) : size - 1 - length);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (!full)
            length += (size_t)got;
    }
    text[length] = '\0';
    return got == 0;
}

void holder_probe_close(struct holder_probe *probe)
{
    close(probe->read_fd);
    unlink(probe->path);
    rmdir(probe->dir);
}
