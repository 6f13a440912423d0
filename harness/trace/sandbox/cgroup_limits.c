/* A pids and a memory cgroup for one run. Each is made below the checker's
 * own cgroup in that controller's hierarchy, so that whatever limits hold
 * the checker (a CI job's, a test's) hold the run too. Where it goes:
 * /proc/self/cgroup says which cgroup we are in, per hierarchy, and
 * /proc/self/mountinfo where each hierarchy is mounted. */
#include "trace/sandbox/cgroup_limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t put;
    do
        put = write(fd, text, strlen(text));
    while (put < 0 && errno == EINTR);
    int error = put < 0 ? -errno : 0;
    close(fd);
    return error;
}

static int read_text(const char *path, char *text, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t got;
    do
        got = read(fd, text, size - 1);
    while (got < 0 && errno == EINTR);
    int error = got < 0 ? -errno : 0;
    close(fd);
    text[got > 0 ? got : 0] = '\0';
    return error;
}

/* Whether `word` is one of the words of `list`, separated by `separator`. */
static bool list_has(const char *list, const char *word, char separator)
{
    size_t length = strlen(word);
    for (const char *at = list; at != NULL && *at != '\0';) {
        const char *end = strchr(at, separator);
        size_t item = end != NULL ? (size_t)(end - at) : strlen(at);
        while (item > 0 && (at[item - 1] == '\n' || at[item - 1] == ' '))
            item--;
        if (item == length && strncmp(at, word, length) == 0)
            return true;
        at = end != NULL ? end + 1 : NULL;
    }
    return false;
}

/* Our cgroup's path in the v1 hierarchy that has `controller`, or (NULL
 * controller) in the v2 hierarchy: a line "ID:CONTROLLERS:PATH". */
static bool own_cgroup_path(const char *controller, char *path, size_t size)
{
    FILE *file = fopen("/proc/self/cgroup", "re");
    if (file == NULL)
        return false;
    char line[PATH_MAX + 128];
    bool found = false;
    while (!found && fgets(line, sizeof(line), file) != NULL) {
        char *controllers = strchr(line, ':');
        char *own = controllers != NULL ? strchr(controllers + 1, ':') : NULL;
        if (own == NULL)
            continue;
        *own++ = '\0';
        controllers++;
        own[strcspn(own, "\n")] = '\0';
        if (controller == NULL ? controllers[0] == '\0' : list_has(controllers, controller, ','))
            found = snprintf(path, size, "%s", own) < (int)size;
    }
    fclose(file);
    return found;
}

/* Where that hierarchy is mounted: a mountinfo line "... ROOT MOUNTPOINT
 * ... - TYPE SOURCE SUPEROPTIONS", TYPE cgroup2 (v2) or cgroup with
 * `controller` among its super options (v1). Our cgroup's folder is the
 * mount point plus our path below the mount's root. */
static bool hierarchy_folder(const char *controller, const char *own, char *folder, size_t size)
{
    FILE *file = fopen("/proc/self/mountinfo", "re");
    if (file == NULL)
        return false;
    char line[2 * PATH_MAX];
    bool found = false;
    while (!found && fgets(line, sizeof(line), file) != NULL) {
        char root[PATH_MAX], mount_point[PATH_MAX], type[32], options[512];
        const char *tail = strstr(line, " - ");
        if (tail == NULL || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mount_point) != 2 ||
            sscanf(tail, " - %31s %*s %511s", type, options) != 2)
            continue;
        bool wanted = controller == NULL
                          ? strcmp(type, "cgroup2") == 0
                          : strcmp(type, "cgroup") == 0 && list_has(options, controller, ',');
        if (!wanted)
            continue;
        size_t root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);
        if (strncmp(own, root, root_length) != 0)
            break; /* our cgroup is outside what this mount shows */
        found = snprintf(folder, size, "%s%s", mount_point, own + root_length) < (int)size;
    }
    fclose(file);
    return found;
}

/* Our cgroup's folder for `controller`, v2 when the unified hierarchy
 * offers the controller to our children, else v1. Returns NULL, or why
 * there is none. */
static const char *own_cgroup_folder(const char *controller, char *folder, size_t size, bool *v2)
{
    char own[PATH_MAX], path[PATH_MAX + 32], controllers[512];
    bool v2_refused = false;
    if (own_cgroup_path(NULL, own, sizeof(own)) && hierarchy_folder(NULL, own, folder, size)) {
        snprintf(path, sizeof(path), "%s/cgroup.controllers", folder);
        if (read_text(path, controllers, sizeof(controllers)) == 0 &&
            list_has(controllers, controller, ' ')) {
            /* Our children get the controller only if we hand it down; the
             * kernel refuses that while our own cgroup holds processes (and
             * is not the root), which we cannot change from here. */
            char enable[64];
            snprintf(enable, sizeof(enable), "+%s", controller);
            snprintf(path, sizeof(path), "%s/cgroup.subtree_control", folder);
            if (write_text(path, enable) == 0) {
                *v2 = true;
                return NULL;
            }
            v2_refused = true;
        }
    }
    *v2 = false;
    if (own_cgroup_path(controller, own, sizeof(own)) &&
        hierarchy_folder(controller, own, folder, size))
        return NULL;
    return v2_refused ? "our cgroup v2 holds processes, so it cannot hand the controller down: "
                        "run forklab in a cgroup of its own"
                      : "no cgroup hierarchy has that controller";
}

static void note_missing(struct cgroup_limits *limits, const char *controller, const char *why)
{
    size_t used = strlen(limits->why_missing);
    snprintf(limits->why_missing + used, sizeof(limits->why_missing) - used, "%sno %s cgroup (%s)",
             used > 0 ? "; " : "", controller, why);
}

static void dir_remove(struct cgroup_dir *dir)
{
    if (dir->procs_fd >= 0)
        close(dir->procs_fd);
    dir->procs_fd = -1;
    if (dir->path[0] != '\0')
        rmdir(dir->path);
    dir->path[0] = '\0';
}

/* Makes our run's cgroup in `controller`'s hierarchy and writes its
 * settings, v1's or v2's ("file", "value" pairs, NULL-terminated; a value
 * that starts with '?' goes to a file the kernel may lack, and is skipped
 * when it cannot be written). */
static void make_cgroup(struct cgroup_limits *limits, struct cgroup_dir *dir,
                        const char *controller, const char *name, const char *const *v1_settings,
                        const char *const *v2_settings)
{
    char parent[PATH_MAX];
    const char *why = own_cgroup_folder(controller, parent, sizeof(parent), &dir->v2);
    if (why != NULL) {
        note_missing(limits, controller, why);
        return;
    }
    if (snprintf(dir->path, sizeof(dir->path), "%s/%s", parent, name) >= (int)sizeof(dir->path) ||
        mkdir(dir->path, 0755) != 0) {
        note_missing(limits, controller, strerror(errno));
        dir->path[0] = '\0';
        return;
    }
    const char *const *settings = dir->v2 ? v2_settings : v1_settings;
    char path[PATH_MAX + 64];
    for (size_t i = 0; settings[i] != NULL; i += 2) {
        const char *file = settings[i], *value = settings[i + 1];
        bool optional = value[0] == '?';
        snprintf(path, sizeof(path), "%s/%s", dir->path, file);
        int error = write_text(path, value + optional);
        if (error < 0 && !optional) {
            char reason[PATH_MAX + 128];
            snprintf(reason, sizeof(reason), "cannot write %s: %s", file, strerror(-error));
            note_missing(limits, controller, reason);
            dir_remove(dir);
            return;
        }
    }
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir->path);
    dir->procs_fd = open(path, O_WRONLY | O_CLOEXEC);
    if (dir->procs_fd < 0) {
        note_missing(limits, controller, strerror(errno));
        dir_remove(dir);
    }
}

int cgroup_limits_create(struct cgroup_limits *limits, long max_tasks, long memory_mib)
{
    static atomic_uint runs;
    memset(limits, 0, sizeof(*limits));
    limits->pids.procs_fd = limits->memory.procs_fd = -1;
    char name[64];
    snprintf(name, sizeof(name), "forklab-%d-%u", (int)getpid(), atomic_fetch_add(&runs, 1));

    if (max_tasks > 0) {
        char max[32];
        snprintf(max, sizeof(max), "%ld", max_tasks);
        const char *const settings[] = {"pids.max", max, NULL};
        make_cgroup(limits, &limits->pids, "pids", name, settings, settings);
        if (limits->pids.path[0] != '\0')
            limits->max_tasks = max_tasks;
    }
    if (memory_mib > 0) {
        char bytes[32];
        snprintf(bytes, sizeof(bytes), "%lld", (long long)memory_mib * 1024 * 1024);
        /* Swap would let a program run past the limit, slowly: none (a "?"
         * marks a file the kernel may lack, without swap accounting). */
        const char *const v2[] = {"memory.max", bytes, "memory.swap.max", "?0", NULL};
        char swap[40];
        snprintf(swap, sizeof(swap), "?%s", bytes);
        const char *const v1[] = {"memory.limit_in_bytes", bytes, "memory.memsw.limit_in_bytes",
                                  swap, NULL};
        make_cgroup(limits, &limits->memory, "memory", name, v1, v2);
        if (limits->memory.path[0] != '\0')
            limits->memory_mib = memory_mib;
    }
    return 0;
}

int cgroup_limits_join(const struct cgroup_limits *limits)
{
    const struct cgroup_dir *dirs[] = {&limits->pids, &limits->memory};
    for (int i = 0; i < 2; i++) {
        if (dirs[i]->procs_fd < 0)
            continue;
        ssize_t put;
        do
            put = write(dirs[i]->procs_fd, "0", 1); /* 0: the writer itself */
        while (put < 0 && errno == EINTR);
        if (put < 0)
            return -errno;
    }
    return 0;
}

/* The number after `key` in a file of "key value" lines, or 0. */
static long read_counter(const struct cgroup_dir *dir, const char *file, const char *key)
{
    if (dir->path[0] == '\0')
        return 0;
    char path[PATH_MAX + 64], text[1024];
    snprintf(path, sizeof(path), "%s/%s", dir->path, file);
    if (read_text(path, text, sizeof(text)) < 0)
        return 0;
    size_t length = strlen(key);
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, key, length) == 0 && line[length] == ' ')
            return strtol(line + length + 1, NULL, 10);
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return 0;
}

long cgroup_limits_refused_forks(const struct cgroup_limits *limits)
{
    return read_counter(&limits->pids, "pids.events", "max");
}

long cgroup_limits_memory_kills(const struct cgroup_limits *limits)
{
    return read_counter(&limits->memory, limits->memory.v2 ? "memory.events" : "memory.oom_control",
                        "oom_kill");
}

void cgroup_limits_remove(struct cgroup_limits *limits)
{
    dir_remove(&limits->pids);
    dir_remove(&limits->memory);
}
