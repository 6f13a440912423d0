/* Descriptor drills: a parent opens, pipes, dups and closes, some of it
 * close-on-exec, then forks a child that may close more and execs `true`.
 * Which descriptors above 2 does `true` start with? The model keeps one
 * table per process with the kernel's two rules: a new descriptor takes the
 * lowest free number, and exec closes exactly the close-on-exec ones. */
#include "study/drill_generate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_SIZE 16

struct slot {
    bool open;
    bool cloexec;
    char name[8]; /* how the program names it: "a", "p[0]" */
};

struct fd_program {
    struct slot parent[TABLE_SIZE], child[TABLE_SIZE];
    char next_variable; /* for open and dup */
    char next_pipe;     /* for pipe */
    FILE *out;          /* the parent's steps, then the child's */
};

static int lowest_free(const struct slot *table)
{
    for (int fd = 3; fd < TABLE_SIZE; fd++)
        if (!table[fd].open)
            return fd;
    return -1;
}

/* A random open descriptor of `table` (only one that an exec would keep,
 * when `kept`), or -1. */
static int pick_open(struct drill_random *random, const struct slot *table, bool kept)
{
    int found[TABLE_SIZE] = {0}, count = 0;
    for (int fd = 3; fd < TABLE_SIZE; fd++)
        if (table[fd].open && !(kept && table[fd].cloexec))
            found[count++] = fd;
    return count > 0 ? found[drill_random_below(random, (unsigned)count)] : -1;
}

/* One step of the parent before the fork. */
static void parent_step(struct drill_random *random, struct fd_program *program)
{
    struct slot *table = program->parent;
    int target = pick_open(random, table, false), kept = pick_open(random, table, true);
    unsigned choice = drill_random_below(random, target < 0 ? 2 : kept < 0 ? 4 : 5);
    bool cloexec = drill_random_below(random, 2) == 0;
    if (choice == 0) {
        int fd = lowest_free(table);
        char name = program->next_variable++;
        table[fd] = (struct slot){.open = true, .cloexec = cloexec, .name = {name}};
        fprintf(program->out, "    int %c = open(\"/dev/null\", O_RDONLY%s);\n", name,
                cloexec ? " | O_CLOEXEC" : "");
    } else if (choice == 1) {
        char name = program->next_pipe++;
        fprintf(program->out, "    int %c[2];\n    if (%s(%c%s) < 0)\n        return 1;\n", name,
                cloexec ? "pipe2" : "pipe", name, cloexec ? ", O_CLOEXEC" : "");
        for (int end = 0; end < 2; end++) {
            int fd = lowest_free(table);
            table[fd] = (struct slot){.open = true, .cloexec = cloexec};
            snprintf(table[fd].name, sizeof(table[fd].name), "%c[%d]", name, end);
        }
    } else if (choice == 2) {
        int fd = lowest_free(table);
        char name = program->next_variable++;
        fprintf(program->out, "    int %c = dup(%s);\n", name, table[target].name);
        table[fd] = (struct slot){.open = true, .name = {name}}; /* dup never copies FD_CLOEXEC */
    } else if (choice == 3) {
        fprintf(program->out, "    close(%s);\n", table[target].name);
        table[target].open = false;
    } else {
        fprintf(program->out, "    fcntl(%s, F_SETFD, FD_CLOEXEC);\n", table[kept].name);
        table[kept].cloexec = true;
    }
}

int drill_fds_generate(struct drill_random *random, const char *title, struct drill *drill)
{
    struct fd_program program = {.next_variable = 'a', .next_pipe = 'p'};
    char *steps = NULL;
    size_t size = 0;
    program.out = open_memstream(&steps, &size);
    if (program.out == NULL)
        return -ENOMEM;
    unsigned parent_steps = 3 + drill_random_below(random, 3);
    for (unsigned i = 0; i < parent_steps; i++)
        parent_step(random, &program);
    /* The child: maybe a close or a close-on-exec of its own. */
    memcpy(program.child, program.parent, sizeof(program.child));
    fputs("    pid_t child = fork();\n    if (child == 0) {\n", program.out);
    unsigned child_steps = drill_random_below(random, 3);
    for (unsigned i = 0; i < child_steps; i++) {
        int target = pick_open(random, program.child, true);
        if (target < 0)
            break;
        if (drill_random_below(random, 2) == 0) {
            fprintf(program.out, "        close(%s);\n", program.child[target].name);
            program.child[target].open = false;
        } else {
            fprintf(program.out, "        fcntl(%s, F_SETFD, FD_CLOEXEC);\n",
                    program.child[target].name);
            program.child[target].cloexec = true;
        }
    }
    fputs("        execlp(\"true\", \"true\", (char *)NULL);\n        _exit(127);\n    }\n"
          "    waitpid(child, NULL, 0);\n",
          program.out);
    /* The parent closes what it still holds: every variable is used, and
     * nothing is left open. */
    for (int fd = 3; fd < TABLE_SIZE; fd++)
        if (program.parent[fd].open)
            fprintf(program.out, "    close(%s);\n", program.parent[fd].name);
    if (fclose(program.out) != 0) {
        free(steps);
        return -ENOMEM;
    }
    int length = asprintf(&drill->source,
                          "/* %s */\n#include <fcntl.h>\n#include <sys/wait.h>\n"
                          "#include <unistd.h>\n\nint main(void)\n{\n%s    return 0;\n}\n",
                          title, steps);
    free(steps);
    if (length < 0) {
        drill->source = NULL;
        return -ENOMEM;
    }
    snprintf(drill->exec_name, sizeof(drill->exec_name), "true");
    drill->fds = 0;
    for (int fd = 3; fd < TABLE_SIZE; fd++)
        if (program.child[fd].open && !program.child[fd].cloexec)
            drill->fds |= (uint32_t)1 << fd;
    return 0;
}
