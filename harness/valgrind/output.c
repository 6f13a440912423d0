/* The parsed output of a valgrind run: construction, lookup and the rule that
 * tells the program's own stack frames from those of libc and valgrind. */
#include "valgrind/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void valgrind_output_init(struct valgrind_output *output)
{
    memset(output, 0, sizeof(*output));
}

static void stack_free(struct valgrind_stack *stack)
{
    for (size_t i = 0; i < stack->count; i++) {
        free(stack->frames[i].function);
        free(stack->frames[i].file);
        free(stack->frames[i].object);
    }
    free(stack->frames);
}

static void process_free(struct valgrind_process *process)
{
    free(process->program);
    for (size_t i = 0; i < process->leak_count; i++)
        stack_free(&process->leaks[i].stack);
    free(process->leaks);
    for (size_t i = 0; i < process->open_fd_count; i++) {
        free(process->open_fds[i].target);
        stack_free(&process->open_fds[i].stack);
    }
    free(process->open_fds);
    for (size_t i = 0; i < process->bad_close_count; i++) {
        free(process->bad_closes[i].target);
        stack_free(&process->bad_closes[i].stack);
    }
    free(process->bad_closes);
}

void valgrind_output_free(struct valgrind_output *output)
{
    for (size_t i = 0; i < output->count; i++)
        process_free(&output->processes[i]);
    free(output->processes);
    valgrind_output_init(output);
}

/* Makes room for one more element of `size` bytes and returns it zeroed. */
static void *append_zeroed(void **items, size_t *count, size_t *capacity, size_t size)
{
    if (*count == *capacity) {
        size_t wanted = *capacity ? *capacity * 2 : 4;
        void *grown = realloc(*items, wanted * size);
        if (grown == NULL)
            return NULL;
        *items = grown;
        *capacity = wanted;
    }
    void *item = (char *)*items + *count * size;
    memset(item, 0, size);
    (*count)++;
    return item;
}

struct valgrind_process *valgrind_output_process(struct valgrind_output *output, pid_t pid)
{
    for (size_t i = 0; i < output->count; i++)
        if (output->processes[i].pid == pid)
            return &output->processes[i];
    struct valgrind_process *process = append_zeroed((void **)&output->processes, &output->count,
                                                     &output->capacity, sizeof(*output->processes));
    if (process != NULL)
        process->pid = pid;
    return process;
}

const struct valgrind_process *valgrind_output_find(const struct valgrind_output *output, pid_t pid)
{
    for (size_t i = 0; i < output->count; i++)
        if (output->processes[i].pid == pid)
            return &output->processes[i];
    return NULL;
}

struct valgrind_leak *valgrind_process_add_leak(struct valgrind_process *process)
{
    return append_zeroed((void **)&process->leaks, &process->leak_count, &process->leak_capacity,
                         sizeof(*process->leaks));
}

struct valgrind_open_fd *valgrind_process_add_open_fd(struct valgrind_process *process)
{
    return append_zeroed((void **)&process->open_fds, &process->open_fd_count,
                         &process->open_fd_capacity, sizeof(*process->open_fds));
}

struct valgrind_bad_close *valgrind_process_add_bad_close(struct valgrind_process *process)
{
    return append_zeroed((void **)&process->bad_closes, &process->bad_close_count,
                         &process->bad_close_capacity, sizeof(*process->bad_closes));
}

int valgrind_set_string(char **field, const char *value)
{
    char *copy = NULL;
    if (value != NULL && (copy = strdup(value)) == NULL)
        return -ENOMEM;
    free(*field);
    *field = copy;
    return 0;
}

int valgrind_stack_add(struct valgrind_stack *stack, const char *function, const char *file,
                       int line, const char *object)
{
    struct valgrind_frame *frame = append_zeroed((void **)&stack->frames, &stack->count,
                                                 &stack->capacity, sizeof(*stack->frames));
    if (frame == NULL)
        return -ENOMEM;
    frame->line = line;
    if (valgrind_set_string(&frame->function, function) < 0 ||
        valgrind_set_string(&frame->file, file) < 0 ||
        valgrind_set_string(&frame->object, object) < 0)
        return -ENOMEM; /* the half-filled frame is freed with the stack */
    return 0;
}

/* Where distributions put libraries, their sources and valgrind itself. A
 * student's program lives anywhere else. */
static bool is_system_path(const char *path)
{
    static const char *const prefixes[] = {"/usr/", "/lib/",  "/lib32/", "/lib64/",
                                           "/bin/", "/sbin/", "/build/"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return strstr(path, "/valgrind/") != NULL;
}

bool valgrind_frame_in_program(const struct valgrind_frame *frame)
{
    if (frame->file == NULL || frame->line <= 0)
        return false;
    if (frame->object != NULL)
        return !is_system_path(frame->object);
    /* Debian's libc records relative source paths ("io/../sysdeps/..."),
     * other distributions put them under /usr/src: only an absolute path
     * outside the system is the program's own source. */
    return frame->file[0] == '/' && !is_system_path(frame->file);
}

void valgrind_output_name_targets(struct valgrind_output *output)
{
    for (size_t i = 0; i < output->count; i++) {
        struct valgrind_process *process = &output->processes[i];
        for (size_t j = 0; j < process->open_fd_count; j++) {
            struct valgrind_open_fd *open_fd = &process->open_fds[j];
            if (open_fd->target != NULL || open_fd->stack.count == 0)
                continue;
            const char *creator = open_fd->stack.frames[0].function;
            if (creator == NULL)
                continue;
            if (strcmp(creator, "pipe") == 0 || strcmp(creator, "pipe2") == 0)
                open_fd->target = strdup("pipe");
            else if (strcmp(creator, "socketpair") == 0)
                open_fd->target = strdup("socket");
        }
    }
}
