/* forklab.h: the safe process wrapper, modelled on Rust's std::process::Command.
 * Build a command, spawn it into a child handle, wait for it or collect its output.
 * Needs Linux 5.4 or later (pidfd, waitid(P_PIDFD)); C17 with _GNU_SOURCE. */
#ifndef FORKLAB_H
#define FORKLAB_H

/*
 * The lesson in one page: each rule below prevents one classic pitfall.
 *
 * 1. Every descriptor the library creates is close-on-exec from birth (pipe2,
 *    open and F_DUPFD with O_CLOEXEC), and in the child every descriptor above 2
 *    is marked close-on-exec unless passed on purpose with fl_command_keep_fd().
 *    Pitfall prevented: a leaked write end of a pipe means the reader never sees
 *    EOF and waits forever; a leaked file keeps a lock or a socket alive. Marking
 *    at birth (not later with fcntl) matters with threads: another thread's
 *    fork can run between the two calls.
 * 2. Exec failure comes back to the caller as an errno and the step that failed
 *    (chdir, dup2, open, exec...), through a close-on-exec "error pipe": EOF on
 *    it means exec succeeded. Pitfall prevented: a child whose exec failed and
 *    which falls through into the parent's code: a runaway second copy of the
 *    program, or at best a silent exit status 127.
 * 3. A released child is always reaped (stopped first if needed, see
 *    fl_child_free()). Pitfall prevented: zombies, which hold a pid and a
 *    process-table slot until their parent waits.
 * 4. Descriptors have one owner. fl_child_free() and fl_command_free() take the
 *    address of your pointer and set it to NULL. Pitfall prevented: a double
 *    close, which in a threaded program closes a descriptor someone else just
 *    opened with the same number.
 * 5. No fork unless you ask for a pre-exec hook: the child is created with
 *    clone(CLONE_VM | CLONE_VFORK), sharing the parent's memory until it calls
 *    exec. Pitfall prevented: fork copying the page tables of a large parent
 *    (milliseconds per spawn for a parent with gigabytes of heap).
 * 6. The child handle holds a pidfd from the moment the child exists
 *    (CLONE_PIDFD), and every wait and signal goes through it (only where
 *    pidfd_send_signal is missing, as under valgrind 3.19, does kill() use the
 *    pid, and only while the child is unreaped). Pitfall prevented: pid reuse;
 *    kill(pid) after the child was reaped can signal an unrelated process that
 *    got the same pid.
 * 7. The child starts with an empty signal mask and every signal at its default
 *    action, SIGPIPE included, whatever the caller blocks, ignores or catches
 *    (fl_command_sigmask() and fl_command_sigignore() are the opt-ins).
 *    Pitfall prevented: a program that inherits a blocked SIGTERM or an ignored
 *    SIGPIPE or SIGINT and never dies when it should.
 * 8. fl_child_communicate() writes stdin while reading stdout and stderr
 *    together. Pitfall prevented: the deadlock where the parent waits for the
 *    child to exit (or reads only stdout) while the child is blocked writing to
 *    a full pipe that nobody reads.
 *
 * Conventions: every function that can fail returns 0 (or a value >= 0: a
 * descriptor, a code) or a negative errno (-ENOENT...), and leaves the detail
 * (errno, step, stream, pipeline stage) where you can read it:
 * fl_command_error() for a command, fl_child_error() for a child, a struct
 * fl_error you pass for a pipeline. The one exception is fl_command_new(),
 * which returns NULL and sets errno; calls that cannot fail (fl_status_*,
 * fl_command_error...) just return their value. Nothing prints, nothing exits. Blocking calls
 * retry on EINTR. A command may be spawned many times but used by one thread at
 * a time; different commands and children may be used from different threads
 * at once.
 *
 * Compared with Rust's std::process::Command. The same: the builder, child and
 * status split; output() reads stdout and stderr together and gives the child
 * /dev/null as stdin; exec failure comes back from spawn as an error, never as
 * an exit status 127; the child starts with an empty signal mask and SIGPIPE
 * at its default action. Different, and why:
 * - Releasing a child (fl_child_free) stops and reaps it by default; dropping
 *   a Rust Child detaches it, and it stays a zombie after it exits until
 *   someone waits. A teaching kit must not make zombies by default; the policy
 *   is chosen per command or per child (fl_command_release, fl_child_release).
 * - Every signal starts at its default action, not only SIGPIPE (as in libuv):
 *   a parent ignores SIGINT or SIGHUP for its own reasons just as often.
 * - Every descriptor above 2 is closed at exec, also those another part of the
 *   program opened without O_CLOEXEC; Rust's children inherit those.
 * - The program is found in PATH by the parent, before the child exists, with
 *   the child's PATH and working directory; Rust's child searches (execvp).
 * - Errors are a negative errno with a step and a stream (struct fl_error),
 *   not an io::Error. Wait with a timeout, stop escalation, output caps and
 *   pipelines are built in.
 * - The pre-exec hook is unsafe in Rust's sense: it forces a fork, and it may
 *   call only async-signal-safe functions.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The three standard streams, as used by the stdio functions. */
enum { FL_STDIN = 0, FL_STDOUT = 1, FL_STDERR = 2 };

/* ---- errors ------------------------------------------------------------- */

/* Where a call failed. Steps marked (child) ran in the new process between
 * clone and exec and were reported back through the error pipe. */
enum fl_step {
    FL_STEP_NONE = 0,  /* nothing failed */
    FL_STEP_BUILD,     /* a builder call failed (bad value, out of memory) */
    FL_STEP_ARGS,      /* invalid arguments (empty program name...) */
    FL_STEP_LOOKUP,    /* finding the program in PATH */
    FL_STEP_STDIO,     /* checking a descriptor given as stdio */
    FL_STEP_PIPE,      /* creating a pipe */
    FL_STEP_CLONE,     /* creating the process (clone or fork) */
    FL_STEP_SIGNALS,   /* (child) resetting signal handlers and mask */
    FL_STEP_SETSID,    /* (child) new session */
    FL_STEP_SETPGID,   /* (child) process group */
    FL_STEP_PDEATHSIG, /* (child) die-with-parent */
    FL_STEP_OPEN,      /* (child) opening a stdio file or /dev/null */
    FL_STEP_DUP2,      /* (child) placing a descriptor on 0, 1 or 2 */
    FL_STEP_CHDIR,     /* (child) changing the working directory */
    FL_STEP_CLOSE_FDS, /* (child) marking inherited descriptors close-on-exec */
    FL_STEP_KEEP_FD,   /* (child) passing a descriptor kept on purpose */
    FL_STEP_PRE_EXEC,  /* (child) the pre-exec hook returned an error */
    FL_STEP_EXEC,      /* (child) execve itself */
    FL_STEP_WRITE,     /* writing the child's stdin */
    FL_STEP_READ,      /* reading the child's stdout or stderr */
    FL_STEP_WAIT,      /* waiting for the child */
    FL_STEP_SIGNAL,    /* sending the child a signal */
    FL_STEP_FD,        /* the caller's end of a stream's pipe */
};

/* The detail of a failure: of a command (fl_command_error), of a child
 * (fl_child_error) or of a pipeline (filled in by the pipeline calls). */
struct fl_error {
    int code;          /* positive errno value; 0 when nothing failed */
    enum fl_step step; /* where it failed */
    bool in_child;     /* the step ran in the child, before exec */
    int stream;        /* FL_STDIN/OUT/ERR for stdio, pipe and I/O steps, else -1 */
    int stage;         /* pipeline stage that failed, from 1 (stages[stage - 1]), else 0 */
};

/* The name of a step, e.g. "chdir". Never NULL. */
const char *fl_step_name(enum fl_step step);

/* Describes err as one line, e.g. "chdir in the child: No such file or
 * directory" or "pipeline stage 2: exec in the child: Permission denied", into buf
 * (size len) and returns buf. */
char *fl_error_text(const struct fl_error *err, char *buf, size_t len);

/* ---- exit status ------------------------------------------------------ */

enum fl_exit {
    FL_RUNNING = 0, /* no status yet: a zeroed struct fl_status is not a success */
    FL_EXITED,      /* the child called exit(code) */
    FL_SIGNALED,    /* a signal killed the child */
};

struct fl_status {
    enum fl_exit how;
    int code;         /* exit code (0..255) when how == FL_EXITED */
    int signal;       /* signal number when how == FL_SIGNALED */
    bool core_dumped; /* FL_SIGNALED and the kernel wrote a core file */
};

/* True when the child exited with code 0. */
bool fl_status_success(struct fl_status status);
/* The exit code (0..255), or -EINVAL when the status holds none (the child was
 * killed by a signal, or has not ended). */
int fl_status_code(struct fl_status status);
/* The signal that killed the child, or 0 when it exited normally. */
int fl_status_signal(struct fl_status status);
/* True when the child was killed by a signal and dumped core. */
bool fl_status_core_dumped(struct fl_status status);
/* "exited with code 3", "killed by SIGKILL", "killed by SIGSEGV (core dumped)";
 * written into buf (size len), returns buf. */
char *fl_status_text(struct fl_status status, char *buf, size_t len);

/* ---- the command builder ------------------------------------------------ */

struct fl_command;
struct fl_child;

/* A new command running program (found in PATH when it has no '/'), with
 * argv[0] = program. Returns NULL only when out of memory or program is NULL
 * (errno set). Setters below copy the strings and bytes they are given and
 * return 0 or -errno; a failed setter is recorded in fl_command_error() (step
 * FL_STEP_BUILD, the setter named in fl_command_strerror()) and remembered,
 * so that spawning fails with it too if you did not check. */
struct fl_command *fl_command_new(const char *program);
/* Frees the command and sets *cmd to NULL; safe on NULL and twice. Children
 * already spawned are independent of it. */
void fl_command_free(struct fl_command **cmd);

/* Appends one argument (copied). */
int fl_command_arg(struct fl_command *cmd, const char *arg);
/* Appends every argument of a NULL-terminated array. */
int fl_command_args(struct fl_command *cmd, const char *const *args);

/* Environment: by default the child gets the caller's environment as it is at
 * spawn time. set adds or replaces NAME (no '=' in it: -EINVAL), remove drops
 * it, clear starts from an empty environment; later calls apply on top. A
 * PATH set here is also the one used to find the program. */
int fl_command_env(struct fl_command *cmd, const char *name, const char *value);
int fl_command_env_remove(struct fl_command *cmd, const char *name);
int fl_command_env_clear(struct fl_command *cmd);

/* Working directory of the child (copied; NULL: the caller's, the default).
 * A missing directory fails the spawn with -ENOENT, step FL_STEP_CHDIR. A
 * program given with a relative path containing '/' is resolved inside this
 * directory, like a shell would; so are relative PATH entries (".", "bin", or
 * an empty one): the lookup checks the file that the child, once in dir, will
 * execute. */
int fl_command_cwd(struct fl_command *cmd, const char *dir);

/* What a standard stream of the child is connected to. */
enum fl_stdio {
    FL_INHERIT = 0, /* the caller's own descriptor (the default for spawn) */
    FL_NULL,        /* /dev/null */
    FL_PIPE,        /* a new pipe; the caller's end is fl_child_fd() */
    FL_MERGE,       /* FL_STDERR only: wherever stdout goes (2>&1) */
};
/* Sets stream (FL_STDIN, FL_STDOUT, FL_STDERR) to one of the above. */
int fl_command_stdio(struct fl_command *cmd, int stream, enum fl_stdio how);
/* Connects stream to the caller's descriptor fd, which stays the caller's: it
 * is duplicated in the child only. A descriptor not open at spawn time fails
 * the spawn with -EBADF, step FL_STEP_STDIO. */
int fl_command_stdio_fd(struct fl_command *cmd, int stream, int fd);
/* Connects stream to a file, opened in the child with flags (O_RDONLY for
 * stdin, e.g. O_WRONLY | O_CREAT | O_TRUNC for output) and mode. A relative
 * path is relative to the caller's directory, not fl_command_cwd(). Failure:
 * step FL_STEP_OPEN with the errno of open. */
int fl_command_stdio_path(struct fl_command *cmd, int stream, const char *path, int flags,
                          mode_t mode);

/* Passes the caller's descriptor fd (3 or above, else -EINVAL) to the child
 * under the same number. Every other descriptor above 2 is closed at exec. */
int fl_command_keep_fd(struct fl_command *cmd, int fd);

/* Signals blocked in the child. By default none, whatever the caller blocks
 * (a program reading SIGTERM from a signalfd has it blocked, and its children
 * must still die of it). NULL goes back to the default. To pass on the
 * caller's own mask: pthread_sigmask(SIG_SETMASK, NULL, &mine), then this. */
int fl_command_sigmask(struct fl_command *cmd, const sigset_t *mask);
/* Signals the child starts with ignored (SIG_IGN survives exec), the way nohup
 * starts its program with SIGHUP ignored, or a shell its background jobs with
 * SIGINT ignored. By default none: every signal starts at its default action,
 * whatever the caller ignores or catches. NULL goes back to the default;
 * SIGKILL or SIGSTOP in the set: -EINVAL (they cannot be ignored). */
int fl_command_sigignore(struct fl_command *cmd, const sigset_t *ignored);

/* Process group: pgid 0 puts the child in a new group that it leads; pgid > 0
 * joins that existing group. Default: the caller's group. */
int fl_command_process_group(struct fl_command *cmd, pid_t pgid);
/* The child starts a new session (setsid): no controlling terminal. */
int fl_command_new_session(struct fl_command *cmd);
/* The child gets signal sig (e.g. SIGKILL; 0 turns it off) when the caller's
 * thread that spawned it exits (PR_SET_PDEATHSIG: the "parent" is that thread,
 * not the process). If the caller died before the child armed it, the child
 * kills itself with sig instead of running on unwatched. */
int fl_command_die_with_parent(struct fl_command *cmd, int sig);

/* A function run in the child just before exec (after stdio, cwd, process
 * group and signal setup: with the child's mask and dispositions). It returns 0 or a negative
 * errno, which fails the spawn with step FL_STEP_PRE_EXEC. Setting a hook switches to a real fork
 * (page tables copied: slower with a large heap). The hook runs in a copy of a
 * possibly multithreaded process where other threads vanished mid-work: it may
 * call only async-signal-safe functions (man 7 signal-safety: no malloc, no
 * printf, no locks), because a lock held by another thread at fork time is
 * held forever in the child. NULL removes the hook. */
int fl_command_pre_exec(struct fl_command *cmd, int (*hook)(void *arg), void *arg);

/* What fl_child_free() does with a child still running. */
enum fl_release {
    FL_RELEASE_STOP = 0, /* default: SIGTERM, wait grace_ms, then SIGKILL; reap */
    FL_RELEASE_KILL,     /* SIGKILL at once; reap */
    FL_RELEASE_WAIT,     /* close its pipes and wait until it exits by itself */
};
/* Release policy for children of this command (each child may change its own
 * with fl_child_release()); grace_ms is used by FL_RELEASE_STOP (default
 * 1000). */
int fl_command_release(struct fl_command *cmd, enum fl_release policy, int grace_ms);

/* Input for fl_command_output(): written to the child's stdin (a pipe), then
 * the pipe is closed. The bytes are copied, like every setter's argument; for
 * input too large to copy, spawn and use fl_child_communicate(), which writes
 * straight from your buffer. */
int fl_command_input(struct fl_command *cmd, const void *data, size_t len);
/* Cap on the bytes kept from each of stdout and stderr by output and
 * communicate; the rest is read and dropped (so the child never blocks) and the
 * result says truncated. Default: no cap. */
int fl_command_output_limit(struct fl_command *cmd, size_t max_bytes);

/* The last failure on cmd: of a setter, or of a spawn, output or status call
 * (each of which starts by clearing it). */
const struct fl_error *fl_command_error(const struct fl_command *cmd);
/* The same as one line with detail, e.g. "cannot run ls: chdir \"/nope\" in the
 * child: No such file or directory". Valid until the next call on cmd. */
const char *fl_command_strerror(const struct fl_command *cmd);

/* ---- running ---------------------------------------------------------- */

/* Starts the command. On success *child is a new handle, to be released with
 * fl_child_free(). Errors: -ENOENT, -EACCES, -E2BIG (argument list too long),
 * -EBADF, -EINVAL... with detail in fl_command_error(cmd). */
int fl_command_spawn(struct fl_command *cmd, struct fl_child **child);

/* Captured output of a child. Buffers are NUL-terminated (not counted in the
 * length) and owned by the struct: free them with fl_output_free(). */
struct fl_output {
    struct fl_status status;
    char *out; /* stdout bytes, NULL when stdout was not a pipe */
    size_t out_len;
    bool out_truncated; /* bytes beyond the output limit were dropped */
    char *err;          /* stderr bytes, NULL when stderr was not a pipe */
    size_t err_len;
    bool err_truncated;
};
/* Frees the buffers and zeroes *out; safe twice. */
void fl_output_free(struct fl_output *out);

/* Runs the command to completion and collects its output: stdout and stderr
 * are pipes unless set otherwise; stdin is /dev/null unless set otherwise or
 * given with fl_command_input(). On error, out holds nothing to free. */
int fl_command_output(struct fl_command *cmd, struct fl_output *out);
/* Runs the command to completion with inherited stdio; fills *status. */
int fl_command_status(struct fl_command *cmd, struct fl_status *status);

/* ---- the child handle ---------------------------------------------------- */

/* The calls on a child that fail record why in the handle, like a command:
 * fl_child_error() is the last such failure (code 0 if none), for example
 * step FL_STEP_READ and stream FL_STDERR, and fl_child_strerror() says it in
 * one line ("pid 4242 (sort): wait: No child processes"), valid until the
 * next failure. */
const struct fl_error *fl_child_error(const struct fl_child *child);
const char *fl_child_strerror(const struct fl_child *child);

pid_t fl_child_pid(const struct fl_child *child);
/* The pidfd: readable once the child has exited (for your own poll loop).
 * -ESRCH once the child was reaped: the pidfd went with it. */
int fl_child_pidfd(struct fl_child *child);

/* The caller's end of a FL_PIPE stream, still owned by the child handle;
 * -EBADF when that stream has no pipe (not FL_PIPE, or taken or closed),
 * -EINVAL for a stream other than FL_STDIN/OUT/ERR. */
int fl_child_fd(struct fl_child *child, int stream);
/* Takes ownership of that end: you close it. Returns it, or the errors of
 * fl_child_fd(). */
int fl_child_take_fd(struct fl_child *child, int stream);
/* Closes that end now, e.g. stdin so that the child sees EOF; closing an end
 * already closed is no error. */
int fl_child_close_fd(struct fl_child *child, int stream);

/* Waits until the child exits and reaps it. Closes the child's stdin pipe
 * first, so a child reading stdin cannot wait for us while we wait for it.
 * Waiting again after that returns 0 and the same status. */
int fl_child_wait(struct fl_child *child, struct fl_status *status);
/* Like wait but never blocks: -EAGAIN while the child runs (status untouched). */
int fl_child_try_wait(struct fl_child *child, struct fl_status *status);
/* Like wait but gives up after timeout_ms: -ETIMEDOUT (child still running). */
int fl_child_wait_timeout(struct fl_child *child, int timeout_ms, struct fl_status *status);

/* Sends sig through the pidfd. After the child was reaped: -ESRCH and nothing
 * is sent (the pid may already belong to another process). */
int fl_child_kill(struct fl_child *child, int sig);
/* Stop escalation: SIGTERM, wait up to grace_ms for the child to exit, then
 * SIGKILL; reaps it and fills *status (may be NULL). A child already reaped
 * just returns its status. */
int fl_child_stop(struct fl_child *child, int grace_ms, struct fl_status *status);

/* Writes input (len bytes, may be NULL/0) to the child's stdin pipe while
 * reading its stdout and stderr pipes, then closes stdin, reads to EOF, waits,
 * and fills *out (free with fl_output_free()). Never deadlocks whatever the
 * sizes. If the child exits without reading all input, the rest is dropped
 * (no SIGPIPE reaches the caller). Input to a child without a stdin pipe:
 * -EINVAL. */
int fl_child_communicate(struct fl_child *child, const void *input, size_t len,
                         struct fl_output *out);
/* fl_child_communicate() without input. */
int fl_child_wait_with_output(struct fl_child *child, struct fl_output *out);
/* Reads the child's stdout and stderr pipes to end of file, or until
 * timeout_ms (>= 0) has passed, without waiting for the child itself: for a
 * caller that still decides how the child ends (a process group to kill
 * before it is reaped, say). What is kept follows fl_command_output_limit();
 * the pipes are closed either way, stdin is left alone, and out->status is
 * not set. Returns 0, or -ETIMEDOUT with what came by then in *out (free it
 * with fl_output_free() in both cases), or another negative errno. */
int fl_child_read_output(struct fl_child *child, int timeout_ms, struct fl_output *out);

/* What fl_child_free() will do with this child if it still runs (see enum
 * fl_release); the default is its command's fl_command_release() policy. */
int fl_child_release(struct fl_child *child, enum fl_release policy, int grace_ms);
/* Releases the handle and sets *child to NULL; safe on NULL and twice. A child
 * not yet reaped is never left a zombie: its pipes are closed, then it is
 * stopped and reaped according to its release policy (may block up to the
 * grace period, or until it exits with FL_RELEASE_WAIT). */
void fl_child_free(struct fl_child **child);

/* ---- pipelines --------------------------------------------------------- */

/* Starts stages[0] | stages[1] | ... | stages[count-1]: each stdout feeds the
 * next stdin through a pipe (overriding those stdio settings); the first stdin
 * and last stdout follow their command. Every pipe end is close-on-exec and the
 * caller's copies are closed as soon as the stage using them exists, so each
 * reader sees EOF when its writer exits. children[i] receives each handle. On
 * failure no stage is left running, and *error (when error is not NULL) says
 * which stage failed, where and why (error->stage, from 1; 0 for bad arguments); the
 * whole line, with the file or directory involved, is
 * fl_command_strerror(stages[error->stage - 1]). */
int fl_pipeline_spawn(struct fl_command *const *stages, size_t count, struct fl_child **children,
                      struct fl_error *error);
/* Runs a pipeline to completion; statuses[i] is the status of stage i. On
 * failure, *error as for fl_pipeline_spawn(); a failed wait is also recorded
 * in its stage's command. */
int fl_pipeline_status(struct fl_command *const *stages, size_t count, struct fl_status *statuses,
                       struct fl_error *error);

#endif /* FORKLAB_H */
