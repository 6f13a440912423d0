/* pipeline.c: a | b | c. The parent makes each pipe, hands its ends to the two
 * stages that use them, and closes its own copies right after: a reader sees
 * EOF only when every copy of the write end is closed, in every process. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static struct fl__stdio_spec no_override(void)
{
    return (struct fl__stdio_spec){.kind = FL__UNSET, .fd = -1};
}

int fl_pipeline_spawn(struct fl_command *const *stages, size_t count, struct fl_child **children)
{
    if (!stages || !children || count == 0)
        return -EINVAL;
    for (size_t i = 0; i < count; i++) {
        children[i] = NULL;
        if (!stages[i])
            return -EINVAL;
    }

    int rc = 0;
    int previous_read = -1; /* read end of the pipe coming from stage i-1 */
    for (size_t i = 0; i < count && rc == 0; i++) {
        struct fl__stdio_spec override[3] = {no_override(), no_override(), no_override()};
        int ends[2] = {-1, -1};
        if (i + 1 < count && pipe2(ends, O_CLOEXEC) < 0) {
            rc = fl__fail(stages[i], errno, FL_STEP_PIPE, FL_STDOUT, NULL);
        } else {
            if (previous_read >= 0)
                override[FL_STDIN] = (struct fl__stdio_spec){.kind = FL__FD, .fd = previous_read};
            if (ends[1] >= 0)
                override[FL_STDOUT] = (struct fl__stdio_spec){.kind = FL__FD, .fd = ends[1]};
            rc = fl__spawn(stages[i], override, &children[i]);
        }
        /* Stage i has its own copies now: ours must go, or the next stage
         * would never see EOF. They are close-on-exec, so no other stage
         * ever received them. */
        if (previous_read >= 0)
            close(previous_read);
        if (ends[1] >= 0)
            close(ends[1]);
        previous_read = ends[0];
    }
    if (previous_read >= 0)
        close(previous_read);
    if (rc < 0) {
        /* Earlier stages lose their reader and get EPIPE; release reaps them. */
        for (size_t i = 0; i < count; i++)
            fl_child_free(&children[i]);
    }
    return rc;
}

int fl_pipeline_status(struct fl_command *const *stages, size_t count, struct fl_status *statuses)
{
    struct fl_child **children = calloc(count > 0 ? count : 1, sizeof *children);
    if (!children)
        return -ENOMEM;
    int rc = fl_pipeline_spawn(stages, count, children);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        int wait_rc = fl_child_wait(children[i], &statuses[i]);
        if (wait_rc < 0 && rc == 0)
            rc = wait_rc;
    }
    for (size_t i = 0; i < count; i++)
        fl_child_free(&children[i]);
    free(children);
    return rc;
}
