/* Prediction drills: a short program and one question about it (how many
 * lines, which process tree, which outputs are possible, which descriptors a
 * child starts with), the answer it must get, and the truth of a real run
 * under the checker to show beside the student's answer. A drill comes from
 * the catalog (drills/drills.json, hand-written, per lesson) or from the
 * generator (a seed); either way its answer is computed or stated before
 * the run, and the tests hold it to real runs. */
#ifndef FORKLAB_DRILL_H
#define FORKLAB_DRILL_H

#include "core/report.h"
#include "kit/kit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum drill_kind {
    DRILL_LINES,  /* how many lines it prints (an integer) */
    DRILL_TREE,   /* which candidate is its process tree (one letter) */
    DRILL_ORDERS, /* which candidate outputs it can print (letters) */
    DRILL_FDS,    /* which descriptors above 2 a child holds when it execs (numbers) */
    DRILL_KIND_COUNT
};

/* "lines", "tree", "orders", "fds"; and back (-1: no such kind). */
const char *drill_kind_name(enum drill_kind kind);
int drill_kind_from_name(const char *name);

#define DRILL_MAX_CANDIDATES 6
#define DRILL_MAX_FD         31 /* descriptors asked about: 3 .. DRILL_MAX_FD */
#define DRILL_ID_SIZE        64

struct drill {
    char id[DRILL_ID_SIZE];     /* "03-wait-order", or "seed-42" for a generated one */
    char lesson[DRILL_ID_SIZE]; /* "03-zombies"; "" for a generated one */
    enum drill_kind kind;
    char *source;       /* the C program, as the student reads it */
    char *note;         /* a line to read before the question, or NULL */
    char exec_name[32]; /* DRILL_FDS: the program the child execs ("true") */
    long lines;         /* DRILL_LINES: the answer */
    /* DRILL_TREE: shapes (drill_tree.c); DRILL_ORDERS: whole outputs. */
    char *candidates[DRILL_MAX_CANDIDATES];
    size_t candidate_count;
    /* DRILL_TREE: the one right candidate's bit; DRILL_ORDERS: bit i when
     * candidate i can be printed (at least one). */
    unsigned right;
    uint32_t fds; /* DRILL_FDS: bit n when descriptor n is held at the exec */
    /* DRILL_ORDERS: every output the program can print, sorted (its model
     * says so: an orders drill is always written in steps). */
    char **outputs;
    size_t output_count;
};

void drill_init(struct drill *drill);
void drill_free(struct drill *drill);

/* ---- the little language of generated programs (drill_program.c) ----------- */

/* A program for the line, tree and order questions, written as steps:
 *   a..z  print that letter on a line of its own
 *   F     fork();                   both processes go on
 *   C{..} if (fork() == 0) { ..; }  the child runs the block, then exits
 *   W     wait(NULL);               one child reaped (none left: goes on)
 *   S     one byte into a pipe      every process shares it
 *   A     read one byte from it     blocks until a byte is there
 * Every process waits for all its children before it ends, so none is an
 * orphan the checker would kill. E.g. "a C{b} W c". */
#define DRILL_MAX_STEPS 48

/* What a program's model says, over every order the scheduler could pick. */
struct drill_outcome {
    long lines;     /* printed in all: the same in every order */
    char *shape;    /* the process tree (drill_tree.c), the same in every order */
    char **outputs; /* every different output, sorted; NULL when not asked */
    size_t output_count;
    bool truncated; /* more outputs than the limit: output_count is a floor */
    bool deadlock;  /* some order leaves a process blocked forever */
};

/* Checks `steps` and models it: lines, shape, deadlock, and, when
 * `max_outputs` > 0, every output up to that many. Returns 0, -EINVAL with
 * `why` for a program that is not in the language (or too big), -ENOMEM. */
int drill_program_model(const char *steps, size_t max_outputs, struct drill_outcome *outcome,
                        char *why, size_t why_size);
void drill_outcome_free(struct drill_outcome *outcome);
/* The C program for `steps` (already checked), with `title` in its first
 * comment; NULL when out of memory. The caller frees it. */
char *drill_program_source(const char *steps, const char *title);

/* ---- process trees (drill_tree.c) ------------------------------------------------ */

/* A tree's shape: each process is "(" its children, oldest first, ")", so
 * main with two childless children is "(()())". */
/* The shape of a checker's run: its main process and, below it, what each
 * process created, in order; NULL when out of memory. The caller frees it. */
char *drill_tree_of_report(const struct report *report);
/* Draws a shape as the checker draws its tree, one process a line, each
 * line prefixed by `indent`. */
void drill_tree_draw(const char *shape, const char *indent, FILE *out);
/* Processes in a shape. */
size_t drill_tree_size(const char *shape);

/* ---- where drills come from ----------------------------------------------------- */

/* A drill made from `seed`: its kind from the seed unless `kind` is one.
 * The same seed and kind give the same drill on every machine. Returns 0 or
 * -ENOMEM. */
int drill_generate(uint64_t seed, int kind, struct drill *drill);

/* The hand-written drills, in the catalog's order. */
struct drill_catalog {
    struct drill *drills;
    size_t count;
};

/* Loads drills/drills.json of the kit and each drill's program. Returns 0,
 * -ENOENT or -EINVAL with a one-line reason in `why`, -ENOMEM. */
int drill_catalog_load(const struct kit *kit, struct drill_catalog *catalog, char *why,
                       size_t why_size);
void drill_catalog_free(struct drill_catalog *catalog);

/* ---- the student's answer (drill_answer.c) ----------------------------------------- */

struct drill_answer {
    long lines;       /* DRILL_LINES */
    unsigned letters; /* DRILL_TREE, DRILL_ORDERS: bit i for candidate i */
    uint32_t fds;     /* DRILL_FDS */
};

/* Reads an answer: "7"; "B"; "A C" or "a,c"; "3 5" or "none". Returns 0 or
 * -EINVAL with a one-line reason in `why`. */
int drill_answer_parse(const struct drill *drill, const char *text, struct drill_answer *answer,
                       char *why, size_t why_size);
bool drill_answer_is_right(const struct drill *drill, const struct drill_answer *answer);
/* The drill's own answer in the student's terms. */
void drill_answer_of(const struct drill *drill, struct drill_answer *answer);
/* An answer written back as the student would type it: "7", "A C", "3 5". */
void drill_answer_text(const struct drill *drill, const struct drill_answer *answer, char *text,
                       size_t size);

/* ---- the real run (drill_run.c) ------------------------------------------------------ */

/* What one run under the checker showed. */
struct drill_truth {
    struct report report; /* the checker's report: tree, findings, output */
    long lines;           /* lines on stdout */
    char *shape;          /* its process tree */
    int candidate;        /* DRILL_ORDERS: the candidate its stdout is, -1 none */
    int output;           /* DRILL_ORDERS: which of drill->outputs it is, -1 none */
    uint32_t fds;         /* DRILL_FDS: the descriptors above 2 the exec'd program had */
    char fd_what[DRILL_MAX_FD + 1][96]; /* and what each was: "/dev/null", "pipe:[N] (read end)" */
    bool clean_end;                     /* main exited by itself, in time, with no fact lost */
};

/* Compiles the drill's program as the grader compiles a submission, into
 * `folder` (which must exist) as folder/drill. Returns 0, or a negative
 * errno with `why` (no compiler, a program that does not compile). */
int drill_build(const struct kit *kit, const struct drill *drill, const char *folder, char *why,
                size_t why_size);
/* Runs the built folder/drill once under the checker. Returns 0 or
 * check_run's negative errno with `why`. As for check_run, the caller must
 * have no other children meanwhile. */
int drill_check(const struct drill *drill, const char *folder, struct drill_truth *truth, char *why,
                size_t why_size);
/* Both, in a private folder removed afterwards. */
int drill_run(const struct kit *kit, const struct drill *drill, struct drill_truth *truth,
              char *why, size_t why_size);
void drill_truth_free(struct drill_truth *truth);
/* Whether the run agrees with the drill's answer: for lines, tree and
 * descriptors the same value; for orders, an output among the possible
 * candidates (another run may print another of them). */
bool drill_truth_agrees(const struct drill *drill, const struct drill_truth *truth);

#endif
