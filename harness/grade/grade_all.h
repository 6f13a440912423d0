/* Grading a folder of submissions, one student per file or subfolder, a few
 * at a time, each in a process of its own: one submission's fork bomb, flood
 * or endless loop cannot change another's grade. */
#ifndef FORKLAB_GRADE_ALL_H
#define FORKLAB_GRADE_ALL_H

#include "grade/grade.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct grade_all_student {
    char *name;       /* "alice" for alice.c or the folder alice/ */
    char *submission; /* FOLDER/alice.c or FOLDER/alice */
    char *copy;       /* the private copy graded, made before any grading began */
    json_t *grade;    /* the grade (grade_result_to_json's document); NULL on error */
    char *error;      /* why the student could not be graded; NULL when graded */
    long duration_ms; /* wall time of the student's grading process */
};

struct grade_all_result {
    struct grade_all_student *students; /* sorted by name */
    size_t count;
    char **skipped; /* entries that are neither a .c file nor a folder */
    size_t skipped_count;
    long duration_ms;
};

struct grade_all_options {
    struct grade_options grade; /* kit, exercise, limits; `submission` is set per student */
    const char *folder;         /* the submissions */
    int jobs;                   /* students graded at once, >= 1 */
    /* Called in the parent as each student's grade arrives (may be NULL). */
    void (*on_graded)(const struct grade_all_student *student, void *context);
    void *context;
};

/* Finds the students in options->folder (hidden entries are ignored; files
 * not ending in .c are listed in `skipped`). Returns 0, or a negative errno
 * with a reason in `why` (-EEXIST: two entries would be the same student). */
int grade_all_list(const char *folder, struct grade_all_result *result, char *why, size_t why_size);

/* Grades every student of `result` (from grade_all_list). First every
 * submission is copied into a private folder (0700) of its own, so that no
 * program that runs can read or change another's submission, even one
 * graded later; each is graded from its copy. Returns 0 once every student
 * has a grade or an error, or a negative errno when the batch itself could
 * not run. When it returns, no process any submission started exists, and
 * the copies are gone. */
int grade_all_run(const struct grade_all_options *options, struct grade_all_result *result,
                  char *why, size_t why_size);

void grade_all_result_free(struct grade_all_result *result);

/* Makes sure the gradebook can be written before anything is graded:
 * creates `folder` (its parent must exist) or checks that the one there is
 * a folder we can write. Returns 0, or a negative errno with `why`. */
int grade_all_prepare_out(const char *folder, char *why, size_t why_size);

/* Writes the gradebook into `folder` (made by grade_all_prepare_out):
 * gradebook.csv (one row per student, one column per check) and
 * STUDENT.json for each graded student. Returns 0, or a negative errno with
 * `why`. */
int grade_all_write(const struct grade_all_options *options, const struct grade_all_result *result,
                    const char *folder, char *why, size_t why_size);

#define GRADEBOOK_FILE "gradebook.csv"

#endif
