/* stdio.c: where the child's stdin, stdout and stderr come from. The setters
 * record a choice; fl__stdio_prepare() turns the choices into descriptors in the
 * parent (pipes are created here, close-on-exec from birth). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int set_spec(struct fl_command *cmd, int stream, struct fl__stdio_spec spec,
                    const char *setter)
{
    if (stream < FL_STDIN || stream > FL_STDERR)
        return fl__remember(cmd, -EINVAL, setter);
    free(cmd->stdio[stream].path);
    spec.set_by_caller = true;
    cmd->stdio[stream] = spec;
    return 0;
}

int fl_command_stdio(struct fl_command *cmd, int stream, enum fl_stdio how)
{
    /* Only stderr can follow another stream; "stdout to stdout" means nothing. */
    if (how > FL_MERGE || (how == FL_MERGE && stream != FL_STDERR))
        return fl__remember(cmd, -EINVAL, __func__);
    return set_spec(cmd, stream,
                    (struct fl__stdio_spec){.kind = (enum fl__stdio_kind)how, .fd = -1}, __func__);
}

int fl_command_stdio_fd(struct fl_command *cmd, int stream, int fd)
{
    if (fd < 0)
        return fl__remember(cmd, -EBADF, __func__);
    return set_spec(cmd, stream, (struct fl__stdio_spec){.kind = FL__FD, .fd = fd}, __func__);
}

int fl_command_stdio_path(struct fl_command *cmd, int stream, const char *path, int flags,
                          mode_t mode)
{
    char *copy = path ? strdup(path) : NULL;
    if (!copy)
        return fl__remember(cmd, path ? -ENOMEM : -EINVAL, __func__);
    int rc = set_spec(cmd, stream,
                      (struct fl__stdio_spec){
                          .kind = FL__PATH, .fd = -1, .path = copy, .flags = flags, .mode = mode},
                      __func__);
    if (rc < 0)
        free(copy);
    return rc;
}

void fl__close_fds(int fds[3])
{
    for (int stream = 0; stream < 3; stream++) {
        if (fds[stream] >= 0)
            close(fds[stream]); /* not retried: Linux frees the fd even on EINTR */
        fds[stream] = -1;
    }
}

/* Fills plan->stdio from spec. Pipes get created: the caller's ends go to
 * parent_ends (kept in the child handle), the child's ends to child_ends (to
 * be closed by the caller once the child exists). On failure nothing is left
 * open. */
int fl__stdio_prepare(struct fl_command *cmd, const struct fl__stdio_spec spec[3],
                      struct fl__plan *plan, int parent_ends[3], int child_ends[3])
{
    for (int stream = 0; stream < 3; stream++) {
        parent_ends[stream] = -1;
        child_ends[stream] = -1;
    }
    for (int stream = 0; stream < 3; stream++) {
        const struct fl__stdio_spec *s = &spec[stream];
        struct fl__child_stdio *c = &plan->stdio[stream];
        *c = (struct fl__child_stdio){
            .kind = s->kind, .fd = s->fd, .path = s->path, .flags = s->flags, .mode = s->mode};
        if (s->kind == FL__FD && fcntl(s->fd, F_GETFD) < 0) {
            int code = errno;
            fl__close_fds(parent_ends);
            fl__close_fds(child_ends);
            return fl__fail(cmd, code, FL_STEP_STDIO, stream, NULL);
        }
        if (s->kind == FL__PIPE) {
            int ends[2];
            if (pipe2(ends, O_CLOEXEC) < 0) {
                int code = errno;
                fl__close_fds(parent_ends);
                fl__close_fds(child_ends);
                return fl__fail(cmd, code, FL_STEP_PIPE, stream, NULL);
            }
            /* ends[0] reads, ends[1] writes: the child reads its stdin. */
            bool child_reads = stream == FL_STDIN;
            child_ends[stream] = ends[child_reads ? 0 : 1];
            parent_ends[stream] = ends[child_reads ? 1 : 0];
            c->kind = FL__FD;
            c->fd = child_ends[stream];
        }
    }
    return 0;
}
