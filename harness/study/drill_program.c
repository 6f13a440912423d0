/* The little language of drill programs: parsed into a flat list of
 * instructions, turned into C, and modelled. The model runs every order the
 * scheduler could choose, but branches only where the order can show: a
 * print, and a read from the shared pipe (two readers may race for one
 * byte). Forks, exits, waits and writes change no output by themselves and
 * stay possible once possible, so each runs as soon as it can; that keeps
 * the search to the interleavings of the prints. */
#include "study/drill.h"

#include "core/reason.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROCESSES 16
#define MAX_LINES     24
/* Steps of the search at most: far above any drill's, far below a stall. */
#define MAX_VISITS 200000

enum op {
    OP_SAY,    /* print `letter` */
    OP_FORK,   /* both go on */
    OP_CHILD,  /* the child goes on, the parent jumps to `jump` */
    OP_WAIT,   /* wait(NULL) */
    OP_SIGNAL, /* a byte into the pipe */
    OP_AWAIT,  /* a byte out of it */
    OP_END,    /* wait for every child, then end (exit or return) */
};

struct instruction {
    enum op op;
    char letter;
    size_t jump;
};

struct program {
    struct instruction code[DRILL_MAX_STEPS * 2];
    size_t length;
    bool uses_pipe, uses_signal, uses_await;
};

/* Parses steps from *at up to the end, or up to a '}' when `in_block`. */
static int parse_block(const char **at, bool in_block, struct program *program, char *why,
                       size_t why_size)
{
    const size_t capacity = sizeof(program->code) / sizeof(program->code[0]);
    for (;;) {
        char c = **at;
        if (c == ' ') {
            (*at)++;
            continue;
        }
        if (c == '\0' || c == '}') {
            if ((c == '}') != in_block)
                return reason_set(why, why_size, -EINVAL, "%s",
                                  c == '}' ? "a '}' without its C{" : "a C{ without its '}'");
            return 0;
        }
        if (program->length + 2 > capacity)
            return reason_set(why, why_size, -EINVAL, "more than %d steps", DRILL_MAX_STEPS);
        struct instruction *step = &program->code[program->length++];
        (*at)++;
        if (c >= 'a' && c <= 'z') {
            *step = (struct instruction){.op = OP_SAY, .letter = c};
        } else if (c == 'F' || c == 'W' || c == 'S' || c == 'A') {
            step->op = c == 'F' ? OP_FORK : c == 'W' ? OP_WAIT : c == 'S' ? OP_SIGNAL : OP_AWAIT;
            program->uses_signal |= c == 'S';
            program->uses_await |= c == 'A';
            program->uses_pipe |= c == 'S' || c == 'A';
        } else if (c == 'C' && **at == '{') {
            (*at)++;
            step->op = OP_CHILD;
            size_t child = program->length - 1;
            int error = parse_block(at, true, program, why, why_size);
            if (error < 0)
                return error;
            (*at)++; /* the '}' */
            if (program->length + 1 > capacity)
                return reason_set(why, why_size, -EINVAL, "more than %d steps", DRILL_MAX_STEPS);
            program->code[program->length++] = (struct instruction){.op = OP_END};
            program->code[child].jump = program->length;
        } else {
            return reason_set(why, why_size, -EINVAL, "'%c' is not a step (a-z F C{...} W S A)", c);
        }
    }
}

static int parse(const char *steps, struct program *program, char *why, size_t why_size)
{
    memset(program, 0, sizeof(*program));
    const char *at = steps;
    int error = parse_block(&at, false, program, why, why_size);
    if (error == 0)
        program->code[program->length++] = (struct instruction){.op = OP_END};
    return error;
}

/* ---- the model ------------------------------------------------------------------ */

enum process_state { RUNNING, ENDED, REAPED };

struct process {
    size_t pc;
    int parent; /* -1 for main */
    enum process_state state;
    int children;       /* not yet reaped */
    int ended_children; /* ended, not yet reaped */
};

struct machine {
    struct process processes[MAX_PROCESSES];
    size_t count;
    int bytes; /* in the pipe */
    char output[MAX_LINES * 2 + 1];
    size_t output_length;
    long lines;
};

struct search {
    const struct program *program;
    struct drill_outcome *outcome;
    size_t max_outputs;
    size_t visits;
    bool too_big;   /* more processes or lines than a drill may have */
    bool ended_one; /* lines and shape are known */
    char *shape_of_first;
};

static bool start_child(struct machine *machine, int parent, size_t pc)
{
    if (machine->count == MAX_PROCESSES)
        return false;
    machine->processes[machine->count++] =
        (struct process){.pc = pc, .parent = parent, .state = RUNNING};
    machine->processes[parent].children++;
    return true;
}

/* Runs what cannot show in the output, until every process left is at a
 * print or a read, or blocked. False when a limit was passed. */
static bool settle(const struct program *program, struct machine *machine)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < machine->count; i++) {
            struct process *process = &machine->processes[i];
            while (process->state == RUNNING) {
                const struct instruction *step = &program->code[process->pc];
                if (step->op == OP_FORK || step->op == OP_CHILD) {
                    size_t child_pc = process->pc + 1;
                    process->pc = step->op == OP_FORK ? process->pc + 1 : step->jump;
                    if (!start_child(machine, (int)i, child_pc))
                        return false;
                } else if (step->op == OP_SIGNAL) {
                    machine->bytes++;
                    process->pc++;
                } else if (step->op == OP_WAIT && process->ended_children > 0) {
                    process->ended_children--;
                    process->children--;
                    process->pc++;
                } else if (step->op == OP_WAIT && process->children == 0) {
                    process->pc++; /* wait() fails with ECHILD and the program goes on */
                } else if (step->op == OP_END && process->ended_children == process->children) {
                    process->children = process->ended_children = 0;
                    process->state = ENDED;
                    if (process->parent >= 0)
                        machine->processes[process->parent].ended_children++;
                } else {
                    break; /* a print, a read, or blocked */
                }
                moved = true;
            }
        }
    }
    return true;
}

/* "(" children ")" for process `i`, appended to `out`. */
static void put_shape(const struct machine *machine, int i, FILE *out)
{
    fputc('(', out);
    for (size_t child = 0; child < machine->count; child++)
        if (machine->processes[child].parent == i)
            put_shape(machine, (int)child, out);
    fputc(')', out);
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds a finished run's output to the sorted set. */
static int add_output(struct search *search, const char *output)
{
    struct drill_outcome *outcome = search->outcome;
    const char *key = output;
    if (outcome->output_count > 0 &&
        bsearch(&key, outcome->outputs, outcome->output_count, sizeof(char *), compare_text))
        return 0;
    if (outcome->output_count == search->max_outputs) {
        outcome->truncated = true;
        return 0;
    }
    char **grown = realloc(outcome->outputs, (outcome->output_count + 1) * sizeof(char *));
    if (grown == NULL)
        return -ENOMEM;
    outcome->outputs = grown;
    size_t at = 0;
    while (at < outcome->output_count && strcmp(outcome->outputs[at], output) < 0)
        at++;
    memmove(&grown[at + 1], &grown[at], (outcome->output_count - at) * sizeof(char *));
    grown[at] = strdup(output);
    if (grown[at] == NULL)
        return -ENOMEM;
    outcome->output_count++;
    return 0;
}

static int explore(struct search *search, struct machine *machine)
{
    if (++search->visits > MAX_VISITS) {
        search->outcome->truncated = true;
        return 0;
    }
    if (!settle(search->program, machine)) {
        search->too_big = true;
        return 0;
    }
    bool branched = false;
    for (size_t i = 0; i < machine->count; i++) {
        const struct process *process = &machine->processes[i];
        if (process->state != RUNNING)
            continue;
        const struct instruction *step = &search->program->code[process->pc];
        if (step->op == OP_AWAIT && machine->bytes == 0)
            continue;
        if (step->op != OP_SAY && step->op != OP_AWAIT)
            continue;
        if (step->op == OP_SAY && machine->lines == MAX_LINES) {
            search->too_big = true;
            return 0;
        }
        branched = true;
        struct machine next = *machine;
        if (step->op == OP_SAY) {
            next.output[next.output_length++] = step->letter;
            next.output[next.output_length++] = '\n';
            next.output[next.output_length] = '\0';
            next.lines++;
        } else {
            next.bytes--;
        }
        next.processes[i].pc++;
        int error = explore(search, &next);
        if (error < 0 || search->too_big)
            return error;
        /* Lines and shape are the same in every order; without a pipe no
         * order can block either, so one run says all. */
        if (search->max_outputs == 0 && search->ended_one && !search->program->uses_pipe)
            return 0;
    }
    if (branched)
        return 0;
    for (size_t i = 0; i < machine->count; i++)
        if (machine->processes[i].state == RUNNING) {
            search->outcome->deadlock = true;
            return 0;
        }
    if (!search->ended_one) {
        search->ended_one = true;
        search->outcome->lines = machine->lines;
        char *shape = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&shape, &size);
        if (out == NULL)
            return -ENOMEM;
        put_shape(machine, 0, out);
        if (fclose(out) != 0) {
            free(shape);
            return -ENOMEM;
        }
        search->outcome->shape = shape;
    }
    return search->max_outputs > 0 ? add_output(search, machine->output) : 0;
}

int drill_program_model(const char *steps, size_t max_outputs, struct drill_outcome *outcome,
                        char *why, size_t why_size)
{
    memset(outcome, 0, sizeof(*outcome));
    struct program program;
    int error = parse(steps, &program, why, why_size);
    if (error < 0)
        return error;
    struct machine machine = {.count = 1, .processes = {{.parent = -1, .state = RUNNING}}};
    struct search search = {.program = &program, .outcome = outcome, .max_outputs = max_outputs};
    error = explore(&search, &machine);
    if (error == 0 && search.too_big)
        error = reason_set(why, why_size, -EINVAL, "more than %d processes or %d lines",
                           MAX_PROCESSES, MAX_LINES);
    if (error == 0 && !search.ended_one && !outcome->deadlock)
        error =
            reason_set(why, why_size, -EINVAL, "the model ran out of steps before any run ended");
    if (error < 0)
        drill_outcome_free(outcome);
    return error;
}

void drill_outcome_free(struct drill_outcome *outcome)
{
    free(outcome->shape);
    for (size_t i = 0; i < outcome->output_count; i++)
        free(outcome->outputs[i]);
    free(outcome->outputs);
    memset(outcome, 0, sizeof(*outcome));
}

/* ---- the C program ------------------------------------------------------------- */

/* Whether the block starting at `first` (up to its OP_END) makes children. */
static bool block_forks(const struct program *program, size_t first)
{
    int depth = 0;
    for (size_t i = first; i < program->length; i++) {
        enum op op = program->code[i].op;
        if (depth == 0 && (op == OP_FORK || op == OP_CHILD))
            return true;
        if (op == OP_CHILD)
            depth++;
        else if (op == OP_END && depth-- == 0)
            return false;
    }
    return false;
}

/* Writes the steps from `first` up to the OP_END that closes them. */
static size_t put_block(const struct program *program, size_t first, int depth, FILE *out)
{
    int indent = 4 * depth;
    size_t i = first;
    for (; program->code[i].op != OP_END; i++) {
        const struct instruction *step = &program->code[i];
        switch (step->op) {
        case OP_SAY:
            fprintf(out, "%*sprintf(\"%c\\n\");\n", indent, "", step->letter);
            break;
        case OP_FORK:
            fprintf(out, "%*sfork();\n", indent, "");
            break;
        case OP_WAIT:
            fprintf(out, "%*swait(NULL);\n", indent, "");
            break;
        case OP_SIGNAL:
            fprintf(out, "%*ssignal_ready();\n", indent, "");
            break;
        case OP_AWAIT:
            fprintf(out, "%*sawait_ready();\n", indent, "");
            break;
        case OP_CHILD:
            fprintf(out, "%*sif (fork() == 0) {\n", indent, "");
            size_t end = put_block(program, i + 1, depth + 1, out);
            if (block_forks(program, i + 1))
                fprintf(out, "%*swait_all();\n", indent + 4, "");
            fprintf(out, "%*sexit(0);\n%*s}\n", indent + 4, "", indent, "");
            i = end; /* its OP_END */
            break;
        case OP_END:
            break;
        }
    }
    return i;
}

char *drill_program_source(const char *steps, const char *title)
{
    struct program program;
    if (parse(steps, &program, NULL, 0) < 0)
        return NULL;
    bool forks = block_forks(&program, 0);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fprintf(out,
            "/* %s */\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n"
            "#include <unistd.h>\n",
            title);
    if (program.uses_pipe)
        fputs("\n/* A byte in this pipe lets one process waiting in await_ready() go on. */\n"
              "static int ready[2];\n",
              out);
    if (program.uses_signal)
        fputs("\nstatic void signal_ready(void)\n{\n"
              "    if (write(ready[1], \"x\", 1) != 1)\n        exit(1);\n}\n",
              out);
    if (program.uses_await)
        fputs("\nstatic void await_ready(void)\n{\n    char byte;\n"
              "    if (read(ready[0], &byte, 1) != 1)\n        exit(1);\n}\n",
              out);
    if (forks)
        fputs("\n/* Waits for every child this process still has: none is left running. */\n"
              "static void wait_all(void)\n{\n    while (wait(NULL) > 0)\n        continue;\n}\n",
              out);
    fputs("\nint main(void)\n{\n"
          "    /* Each line is written at its newline, even into a pipe (lesson 07). */\n"
          "    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);\n",
          out);
    if (program.uses_pipe)
        fputs("    if (pipe(ready) < 0)\n        return 1;\n", out);
    put_block(&program, 0, 1, out);
    if (forks)
        fputs("    wait_all();\n", out);
    fputs("    return 0;\n}\n", out);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
