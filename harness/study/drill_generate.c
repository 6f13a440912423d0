/* New drills from a seed, in the spirit of OSTEP's fork.py but run for
 * real: a random program in the drill language (drill_program.c) or a
 * random descriptor program (drill_fds.c), its answer from the model, and
 * for the multiple-choice questions wrong candidates made by changing the
 * right one a little. A program the model finds too big, or one that can
 * block forever, is drawn again from the same random sequence, so a seed
 * always gives the same drill. */
#include "study/drill_generate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPTS  1000
#define MAX_PROCESSES 10 /* in a lines drill */
#define MAX_TREE      6  /* in a tree drill: its candidates are drawn side by side */
#define MAX_ORDERINGS 12 /* outputs an orders drill may have */
#define CANDIDATES    4

/* Appends a random block of steps to `steps`: prints, plain forks (not
 * for orders: they make too many interleavings), child blocks and waits;
 * for orders, pipe writes in children and reads in their parent. */
static void random_block(struct drill_random *random, enum drill_kind kind, int depth, char *letter,
                         int *signals, FILE *steps)
{
    unsigned count = 1 + drill_random_below(random, depth == 0 ? 4 : 2);
    for (unsigned i = 0; i < count; i++) {
        unsigned choice = drill_random_below(random, 10);
        if (choice < 4 && *letter <= 'z') {
            fputc((*letter)++, steps);
        } else if (choice < 6 && kind != DRILL_ORDERS) {
            fputc('F', steps);
        } else if (choice < 8 && depth < 2) {
            fputs("C{", steps);
            random_block(random, kind, depth + 1, letter, signals, steps);
            if (kind == DRILL_ORDERS && drill_random_below(random, 3) == 0) {
                fputc('S', steps);
                (*signals)++;
                if (*letter <= 'z' && drill_random_below(random, 2) == 0)
                    fputc((*letter)++, steps);
            }
            fputc('}', steps);
        } else if (choice == 8 && kind == DRILL_ORDERS && depth == 0 && *signals > 0) {
            fputc('A', steps);
            (*signals)--;
        } else {
            fputc('W', steps);
        }
    }
}

static char *random_steps(struct drill_random *random, enum drill_kind kind)
{
    char *steps = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&steps, &size);
    if (out == NULL)
        return NULL;
    char letter = 'a';
    int signals = 0;
    random_block(random, kind, 0, &letter, &signals, out);
    if (kind == DRILL_ORDERS && letter <= 'z') /* the parent has the last word */
        fprintf(out, "W%c", letter);
    if (fclose(out) != 0) {
        free(steps);
        return NULL;
    }
    return steps;
}

static void shuffle(struct drill_random *random, char **items, size_t count)
{
    for (size_t i = count; i > 1; i--) {
        size_t j = drill_random_below(random, (unsigned)i);
        char *item = items[i - 1];
        items[i - 1] = items[j];
        items[j] = item;
    }
}

static bool has_candidate(const struct drill *drill, const char *text)
{
    for (size_t i = 0; i < drill->candidate_count; i++)
        if (strcmp(drill->candidates[i], text) == 0)
            return true;
    return false;
}

static int add_candidate(struct drill *drill, const char *text)
{
    if (drill->candidate_count == DRILL_MAX_CANDIDATES || has_candidate(drill, text))
        return 0;
    drill->candidates[drill->candidate_count] = strdup(text);
    if (drill->candidates[drill->candidate_count] == NULL)
        return -ENOMEM;
    drill->candidate_count++;
    return 0;
}

/* The right tree and a few near misses: all children of main, one long
 * chain, one process more, one process less. */
static int tree_candidates(struct drill_random *random, const char *shape, struct drill *drill)
{
    size_t size = drill_tree_size(shape), length = strlen(shape);
    char flat[2 * MAX_PROCESSES + 4], chain[2 * MAX_PROCESSES + 4], more[2 * MAX_PROCESSES + 6],
        fewer[2 * MAX_PROCESSES + 4];
    for (size_t i = 0; i < size; i++) {
        chain[i] = '(';
        chain[size + i] = ')';
        flat[1 + 2 * i] = '(';
        flat[2 + 2 * i] = ')';
    }
    chain[2 * size] = '\0';
    flat[0] = '(';
    flat[2 * size - 1] = ')';
    flat[2 * size] = '\0';
    snprintf(more, sizeof(more), "(()%s", shape + 1);
    const char *leaf = strstr(shape + 1, "()"); /* the oldest childless process */
    snprintf(fewer, sizeof(fewer), "%s", shape);
    if (leaf != NULL)
        memmove(fewer + (leaf - shape), leaf + 2, length - (size_t)(leaf - shape) - 1);
    const char *distractors[] = {flat, chain, more, fewer};
    int error = add_candidate(drill, shape);
    for (size_t i = 0; error == 0 && i < 4 && drill->candidate_count < CANDIDATES; i++)
        if (drill_tree_size(distractors[i]) > 1)
            error = add_candidate(drill, distractors[i]);
    if (error < 0)
        return error;
    shuffle(random, drill->candidates, drill->candidate_count);
    for (size_t i = 0; i < drill->candidate_count; i++)
        if (strcmp(drill->candidates[i], shape) == 0)
            drill->right = 1u << i;
    return 0;
}

static bool is_possible(const struct drill *drill, const char *output)
{
    for (size_t i = 0; i < drill->output_count; i++)
        if (strcmp(drill->outputs[i], output) == 0)
            return true;
    return false;
}

/* `output` with lines `a` and `b` swapped, into `swapped`. */
static void swap_lines(const char *output, size_t a, size_t b, char *swapped)
{
    size_t lines = strlen(output) / 2; /* every line is one letter and '\n' */
    for (size_t i = 0; i < lines; i++) {
        size_t from = i == a ? b : i == b ? a : i;
        swapped[2 * i] = output[2 * from];
        swapped[2 * i + 1] = '\n';
    }
    swapped[2 * lines] = '\0';
}

/* One or two outputs it can print, and outputs it cannot: the same lines
 * in an order no schedule gives. */
static int order_candidates(struct drill_random *random, struct drill *drill)
{
    unsigned right = 1 + drill_random_below(random, drill->output_count > 1 ? 2 : 1);
    int error = 0;
    for (unsigned i = 0; error == 0 && i < right; i++)
        error = add_candidate(
            drill, drill->outputs[drill_random_below(random, (unsigned)drill->output_count)]);
    char swapped[64];
    for (unsigned attempt = 0; error == 0 && attempt < 64 && drill->candidate_count < CANDIDATES;
         attempt++) {
        const char *from =
            drill->outputs[drill_random_below(random, (unsigned)drill->output_count)];
        size_t lines = strlen(from) / 2;
        size_t a = drill_random_below(random, (unsigned)lines),
               b = drill_random_below(random, (unsigned)lines);
        swap_lines(from, a, b, swapped);
        if (!is_possible(drill, swapped))
            error = add_candidate(drill, swapped);
    }
    if (error < 0)
        return error;
    shuffle(random, drill->candidates, drill->candidate_count);
    drill->right = 0;
    for (size_t i = 0; i < drill->candidate_count; i++)
        if (is_possible(drill, drill->candidates[i]))
            drill->right |= 1u << i;
    return 0;
}

/* Draws programs until one fits the kind; fills the drill from its model. */
static int generate_process_drill(struct drill_random *random, enum drill_kind kind,
                                  const char *title, struct drill *drill)
{
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        char *steps = random_steps(random, kind);
        if (steps == NULL)
            return -ENOMEM;
        struct drill_outcome outcome;
        int error = drill_program_model(steps, kind == DRILL_ORDERS ? MAX_ORDERINGS + 1 : 0,
                                        &outcome, NULL, 0);
        if (error == -ENOMEM) {
            free(steps);
            return error;
        }
        size_t processes = error == 0 ? drill_tree_size(outcome.shape) : 0;
        bool fits = error == 0 && !outcome.deadlock && !outcome.truncated && processes > 1 &&
                    processes <= MAX_PROCESSES;
        if (fits && kind == DRILL_LINES)
            fits = outcome.lines >= 2;
        if (fits && kind == DRILL_TREE)
            fits = processes >= 3 && processes <= MAX_TREE;
        if (fits && kind == DRILL_ORDERS)
            fits = outcome.output_count >= 2 && outcome.lines >= 3;
        if (!fits) {
            if (error == 0)
                drill_outcome_free(&outcome);
            free(steps);
            continue;
        }
        drill->source = drill_program_source(steps, title);
        free(steps);
        drill->lines = outcome.lines;
        if (kind == DRILL_ORDERS) { /* the drill keeps the model's outputs */
            drill->outputs = outcome.outputs;
            drill->output_count = outcome.output_count;
            outcome.outputs = NULL;
            outcome.output_count = 0;
        }
        error = drill->source == NULL ? -ENOMEM : 0;
        if (error == 0 && kind == DRILL_TREE)
            error = tree_candidates(random, outcome.shape, drill);
        if (error == 0 && kind == DRILL_ORDERS)
            error = order_candidates(random, drill);
        drill_outcome_free(&outcome);
        /* A question needs a real choice: a wrong candidate, at least. */
        if (error == 0 && kind != DRILL_LINES &&
            drill->right == (1u << drill->candidate_count) - 1) {
            enum drill_kind kept = drill->kind;
            char id[DRILL_ID_SIZE];
            memcpy(id, drill->id, sizeof(id));
            drill_free(drill);
            drill->kind = kept;
            memcpy(drill->id, id, sizeof(id));
            continue;
        }
        return error;
    }
    return -EAGAIN; /* not with these limits: never seen, but never a loop either */
}

int drill_generate(uint64_t seed, int kind, struct drill *drill)
{
    drill_init(drill);
    struct drill_random random = {.state = seed};
    if (kind < 0 || kind >= DRILL_KIND_COUNT)
        kind = (int)drill_random_below(&random, DRILL_KIND_COUNT);
    drill->kind = (enum drill_kind)kind;
    snprintf(drill->id, sizeof(drill->id), "seed-%llu", (unsigned long long)seed);
    char title[128];
    snprintf(title, sizeof(title), "Drill %s (%s), made by forklab drill --seed %llu --kind %s.",
             drill->id, drill_kind_name(drill->kind), (unsigned long long)seed,
             drill_kind_name(drill->kind));
    int error = drill->kind == DRILL_FDS
                    ? drill_fds_generate(&random, title, drill)
                    : generate_process_drill(&random, drill->kind, title, drill);
    if (error < 0)
        drill_free(drill);
    return error;
}
