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

/* Records that the pipeline of count failed at stages[stage] (detail in its
 * command's error) into *error, if the caller gave one. Returns the -errno. */
static int stage_failed(struct fl_command *const *stages, size_t count, size_t stage,
                        struct fl_error *error)
{
    fl__fail_stage(stages[stage], stage, count);
    if (error)
        *error = *fl_command_error(stages[stage]);
    return -stages[stage]->error.code;
}

/* A failure of the pipeline call itself, not of a stage; code 0 clears. */
static int pipeline_failed(struct fl_error *error, int code, enum fl_step step)
{
    if (error)
        *error = (struct fl_error){
            .code = code, .step = step, .in_child = false, .stream = -1, .stage = 0};
    return -code;
}

int fl_pipeline_spawn(struct fl_command *const *stages, size_t count, struct fl_child **children,
                      struct fl_error *error)
{
    pipeline_failed(error, 0, FL_STEP_NONE);
    if (!stages || !children || count == 0)
        return pipeline_failed(error, EINVAL, FL_STEP_ARGS);
    for (size_t i = 0; i < count; i++) {
        children[i] = NULL;
        if (!stages[i])
            return pipeline_failed(error, EINVAL, FL_STEP_ARGS);
    }

    int rc = 0;
    int previous_read = -1; /* read end of the pipe coming from stage i-1 */
    for (size_t i = 0; i < count && rc == 0; i++) {
        struct fl__stdio_spec override[3] = {no_override(), no_override(), no_override()};
        int ends[2] = {-1, -1};
        if (i + 1 < count && pipe2(ends, O_CLOEXEC) < 0) {
            fl__fail(stages[i], errno, FL_STEP_PIPE, FL_STDOUT, NULL);
            rc = stage_failed(stages, count, i, error);
        } else {
            if (previous_read >= 0)
                override[FL_STDIN] = (struct fl__stdio_spec){.kind = FL__FD, .fd = previous_read};
            if (ends[1] >= 0)
                override[FL_STDOUT] = (struct fl__stdio_spec){.kind = FL__FD, .fd = ends[1]};
            if (fl__spawn(stages[i], override, &children[i]) < 0)
                rc = stage_failed(stages, count, i, error);
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

int fl_pipeline_status(struct fl_command *const *stages, size_t count, struct fl_status *statuses,
                       struct fl_error *error)
{
    if (!statuses)
        return pipeline_failed(error, EINVAL, FL_STEP_ARGS);
    struct fl_child **children = calloc(count > 0 ? count : 1, sizeof *children);
    if (!children)
        return pipeline_failed(error, ENOMEM, FL_STEP_BUILD);
    int rc = fl_pipeline_spawn(stages, count, children, error);
    /* After a failed wait the stages not yet waited for are released below:
     * stopped and reaped, never left zombies. */
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (fl_child_wait(children[i], &statuses[i]) < 0) {
            fl__fail_from_child(stages[i], children[i]);
            rc = stage_failed(stages, count, i, error);
        }
    }
    for (size_t i = 0; i < count; i++)
        fl_child_free(&children[i]);
    free(children);
    return rc;
}
