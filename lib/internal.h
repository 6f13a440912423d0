/* internal.h: the library's private structures and the functions its files share.
 * Not installed; tests include it to reach a few internals (e.g. the /proc fallback). */
#ifndef FORKLAB_INTERNAL_H
#define FORKLAB_INTERNAL_H

#include "forklab.h"

#include <stdint.h>

/* Code that runs in the child between clone and exec. With CLONE_VM it runs on
 * the parent's memory while the parent is suspended, so it must not touch any
 * state the sanitizer runtimes keep (shadow memory, interceptors): no
 * instrumentation, raw syscalls only. */
#define FL_CHILD_CODE __attribute__((no_sanitize("address", "undefined"), noinline))

/* How one standard stream is set up: the public enum fl_stdio plus two forms
 * that carry data. FL__UNSET marks "no override" in fl__spawn(). */
enum fl__stdio_kind {
    FL__UNSET = -1,
    FL__INHERIT = FL_INHERIT,
    FL__NULL = FL_NULL,
    FL__PIPE = FL_PIPE,
    FL__MERGE = FL_MERGE,
    FL__FD,   /* the caller's descriptor fd */
    FL__PATH, /* a file opened in the child */
};

struct fl__stdio_spec {
    enum fl__stdio_kind kind;
    bool set_by_caller; /* fl_command_output() keeps explicit choices */
    int fd;
    char *path;
    int flags;
    mode_t mode;
};

/* One environment change: "NAME=VALUE", or just "NAME" when removed. */
struct fl__env_op {
    char *entry;
    size_t name_len;
    bool removed;
};

struct fl_command {
    char **argv; /* argv[0] is the program; NULL-terminated */
    size_t argc, argv_cap;
    bool env_cleared;
    struct fl__env_op *env_ops;
    size_t env_count, env_cap;
    char *cwd;
    struct fl__stdio_spec stdio[3];
    int *keep_fds;
    size_t keep_count, keep_cap;
    uint64_t blocked; /* the child's signal mask, as the kernel stores it */
    uint64_t ignored; /* signals the child starts with SIG_IGN */
    pid_t pgid;       /* -1: stay in the caller's group */
    bool new_session;
    int pdeathsig;
    int (*pre_exec)(void *arg);
    void *pre_exec_arg;
    enum fl_release release;
    int grace_ms;
    char *input; /* our copy of fl_command_input()'s bytes */
    size_t input_len;
    bool has_input;
    size_t output_limit;
    int build_error;          /* first failed setter, reported by the next spawn */
    const char *build_setter; /* its name */
    struct fl_error error;
    char error_detail[256]; /* the file, directory or setter the error is about */
    size_t error_stages;    /* the stages of the pipeline that failed, if it did */
    char error_text[512];
};

struct fl_child {
    pid_t pid;
    int pidfd; /* -1 once reaped */
    int fds[3];
    bool reaped;
    struct fl_status status;
    enum fl_release release;
    int grace_ms;
    size_t output_limit;
    char name[48]; /* the program, for error messages */
    struct fl_error error;
    char error_text[256];
};

/* Everything the child needs, prepared by the parent before the child exists,
 * so that the child allocates nothing and calls nothing but syscalls. */
struct fl__child_stdio {
    enum fl__stdio_kind kind; /* FL__FD covers pipes too: fd is the child's end */
    int fd;
    const char *path;
    int flags;
    mode_t mode;
};

struct fl__plan {
    const char *path; /* the program, after the PATH lookup */
    char *const *argv;
    char *const *envp;
    const char *cwd;
    struct fl__child_stdio stdio[3];
    const int *keep_fds;
    size_t keep_count;
    uint64_t blocked, ignored; /* the child's mask and SIG_IGN set */
    pid_t pgid;
    bool new_session;
    int pdeathsig;
    pid_t parent_pid;
    int (*pre_exec)(void *arg);
    void *pre_exec_arg;
    int error_fd; /* write end of the error pipe */
};

/* What a failing child writes to the error pipe. Smaller than PIPE_BUF, so the
 * write is atomic: the parent reads all of it or nothing (EOF = exec worked). */
struct fl__child_report {
    int32_t step;
    int32_t code;
    int32_t stream;
};

/* error.c */
int fl__fail(struct fl_command *cmd, int code, enum fl_step step, int stream, const char *detail);
void fl__fail_stage(struct fl_command *cmd, size_t index, size_t count);
void fl__fail_from_child(struct fl_command *cmd, const struct fl_child *child);
void fl__clear_error(struct fl_command *cmd);
int fl__remember(struct fl_command *cmd, int result, const char *setter);
int fl__child_fail(struct fl_child *child, int code, enum fl_step step, int stream);

/* env.c */
int fl__env_build(const struct fl_command *cmd, char ***envp, bool *allocated);
const char *fl__env_path(const struct fl_command *cmd);

/* stdio.c */
int fl__stdio_prepare(struct fl_command *cmd, const struct fl__stdio_spec spec[3],
                      struct fl__plan *plan, int parent_ends[3], int child_ends[3]);
void fl__close_fds(int fds[3]);

/* path.c */
int fl__find_program(const char *program, const char *search_path, const char *cwd, char **found);

/* child_setup.c, close_fds.c: child side */
_Noreturn void fl__child_run(const struct fl__plan *plan);
int fl__reset_signal_actions(uint64_t ignored);
int fl__mark_cloexec_from(int lowfd);
int fl__mark_cloexec_from_proc(int lowfd);

/* spawn.c, spawn_clone.c, spawn_fork.c */
int fl__spawn(struct fl_command *cmd, const struct fl__stdio_spec override[3],
              struct fl_child **child);
int fl__spawn_clone(const struct fl__plan *plan, pid_t *pid, int *pidfd);
int fl__spawn_fork(const struct fl__plan *plan, pid_t *pid, int *pidfd);
void fl__block_all_signals(sigset_t *old);
void fl__restore_signals(const sigset_t *old);

/* child.c */
bool fl__valid_release(enum fl_release policy, int grace_ms);

/* status.c, wait.c; fl__now_ms: CLOCK_MONOTONIC in milliseconds, for deadlines */
long long fl__now_ms(void);
struct fl_status fl__status_from_siginfo(const siginfo_t *info);
int fl__reap(struct fl_child *child, bool block);

/* capture.c: one output stream read into memory, up to a cap */
struct fl__capture {
    int fd;
    char *data;
    size_t len, cap, limit;
    size_t faulted; /* data[0..faulted) is known to be backed by pages */
    bool truncated;
    bool big_pipe;
    char *scratch; /* where bytes beyond the cap go */
};
void fl__capture_init(struct fl__capture *c, int fd, size_t limit);
ssize_t fl__capture_read(struct fl__capture *c);
int fl__capture_finish(struct fl__capture *c, char **data, size_t *len, bool *truncated);
void fl__capture_discard(struct fl__capture *c);

/* Retries a syscall-like expression while it fails with EINTR. */
#define FL_RETRY(expr)                                                                             \
    ({                                                                                             \
        long fl_retry_result_;                                                                     \
        do                                                                                         \
            fl_retry_result_ = (long)(expr);                                                       \
        while (fl_retry_result_ == -1 && errno == EINTR);                                          \
        fl_retry_result_;                                                                          \
    })

#endif /* FORKLAB_INTERNAL_H */
