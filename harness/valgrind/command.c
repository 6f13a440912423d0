/* Builds the valgrind command of the pass. The log goes to a descriptor the
 * pass opened itself, not to --log-file: valgrind 3.19 leaves a file it opens
 * for --log-file (or --xml-file) open in the program as fd 3, which moves
 * every descriptor the program opens. XML needs one file per process, so
 * there --xml-file it is, and the merge ignores descriptors into its folder. */
#include "valgrind/command.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Adds one "--name=value" argument. */
static int add_option(struct fl_command *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int add_option(struct fl_command *command, const char *format, ...)
{
    char *text = NULL;
    va_list args;
    va_start(args, format);
    int length = vasprintf(&text, format, args);
    va_end(args);
    if (length < 0)
        return -1;
    int result = fl_command_arg(command, text);
    free(text);
    return result;
}

/* Runs in the child before exec when the program runs as another user:
 * valgrind and the program it starts run as that user. Raw system calls,
 * async-signal-safe, as in trace/sandbox/target_spawn.c; groups first, as
 * after setresuid we could not. */
static int become_run_as_user(void *arg)
{
    const struct valgrind_target *options = arg;
    gid_t gid = options->run_gid;
    uid_t uid = options->run_uid;
    if (syscall(SYS_setgroups, 1, &gid) != 0 || syscall(SYS_setresgid, gid, gid, gid) != 0 ||
        syscall(SYS_setresuid, uid, uid, uid) != 0)
        return -errno;
    return 0;
}

struct fl_command *valgrind_command_new(const struct valgrind_target *options,
                                        const struct valgrind_plan *plan)
{
    struct fl_command *command = fl_command_new("valgrind");
    if (command == NULL)
        return NULL;
    static const char *const fixed[] = {
        "--tool=memcheck",
        "--leak-check=full",
        "--show-leak-kinds=definite,indirect",
        "--track-fds=yes",
        /* Forked children are followed anyway; exec'd programs only with this. */
        "--trace-children=yes",
        "--trace-children-skip=" VALGRIND_SKIP_PATTERNS,
        /* No gdbserver: it creates FIFOs in /tmp for every process. */
        "--vgdb=no",
        /* Full source paths tell the program's frames from libc's. */
        "--fullpath-after=",
        "--num-callers=24",
        NULL,
    };
    bool ok = fl_command_args(command, fixed) == 0 &&
              add_option(command, "--log-fd=%d", plan->log_fd) == 0 &&
              fl_command_keep_fd(command, plan->log_fd) == 0;
    if (ok && plan->source == VALGRIND_READ_XML)
        ok = fl_command_arg(command, "--xml=yes") == 0 &&
             add_option(command, "--xml-file=%s/vg.%%p.xml", plan->output_dir) == 0;
    ok = ok && fl_command_args(command, (const char *const *)options->argv) == 0;

    ok = ok && fl_command_new_session(command) == 0;
    if (options->stdin_path != NULL)
        ok = ok && fl_command_stdio_path(command, FL_STDIN, options->stdin_path, O_RDONLY, 0) == 0;
    else
        ok = ok && fl_command_stdio(command, FL_STDIN, FL_NULL) == 0;
    /* The report's output comes from the traced run; this run's is dropped. */
    ok = ok && fl_command_stdio(command, FL_STDOUT, FL_NULL) == 0 &&
         fl_command_stdio(command, FL_STDERR, FL_NULL) == 0 &&
         fl_command_die_with_parent(command, SIGKILL) == 0 &&
         fl_command_release(command, FL_RELEASE_KILL, 0) == 0;
    /* `options` outlives the spawn, which is all the hook needs. */
    if (ok && options->run_as)
        ok = fl_command_pre_exec(command, become_run_as_user, (void *)options) == 0;
    if (!ok)
        fl_command_free(&command);
    return command;
}
