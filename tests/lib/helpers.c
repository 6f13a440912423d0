/* helpers.c: shared test helpers; see helpers.h. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare_ints(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int fds_snapshot(int *fds, int max)
{
    DIR *dir = opendir("/proc/self/fd");
    cr_assert_not_null(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        int fd = atoi(entry->d_name);
        if (fd != dirfd(dir) && count < max)
            fds[count++] = fd;
    }
    closedir(dir);
    qsort(fds, (size_t)count, sizeof *fds, compare_ints);
    return count;
}

int children_of_self(int *zombies)
{
    DIR *proc = opendir("/proc");
    cr_assert_not_null(proc);
    int count = 0;
    *zombies = 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        char path[300], line[512];
        snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
        FILE *stat = fopen(path, "re");
        if (!stat)
            continue; /* exited meanwhile */
        char *got = fgets(line, sizeof line, stat);
        fclose(stat);
        /* "pid (comm) S ppid ...": comm may hold spaces, so parse after ')'. */
        char *close_paren = got ? strrchr(line, ')') : NULL;
        char state;
        int ppid;
        if (close_paren && sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2 &&
            ppid == getpid()) {
            count++;
            if (state == 'Z')
                (*zombies)++;
        }
    }
    closedir(proc);
    return count;
}

char *output_of(struct fl_command *cmd)
{
    struct fl_output out;
    int rc = fl_command_output(cmd, &out);
    cr_assert_eq(rc, 0, "output failed: %s", fl_command_strerror(cmd));
    char text[64];
    cr_assert(fl_status_success(out.status), "child %s; stderr: %s",
              fl_status_text(out.status, text, sizeof text), out.err ? out.err : "");
    char *result = out.out;
    out.out = NULL;
    fl_output_free(&out);
    return result;
}

char *probe_field(const char *text, const char *key, char *buf, size_t len)
{
    size_t key_len = strlen(key);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
            const char *value = line + key_len + 1;
            while (*value == ' ' || *value == '\t')
                value++;
            size_t n = strcspn(value, "\n");
            if (n >= len)
                n = len - 1;
            memcpy(buf, value, n);
            buf[n] = '\0';
            return buf;
        }
    }
    return NULL;
}

void hang_guard(unsigned seconds)
{
    signal(SIGALRM, SIG_DFL);
    alarm(seconds);
}

char *make_temp_dir(void)
{
    char *dir = strdup("/tmp/forklab-lib-XXXXXX");
    cr_assert_not_null(dir);
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}
