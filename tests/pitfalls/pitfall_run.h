/* Shared by the pitfall tests: the manifest, and one `forklab check` run of a
 * pitfall's broken or fixed program through the harness engine. */
#ifndef FORKLAB_TEST_PITFALL_RUN_H
#define FORKLAB_TEST_PITFALL_RUN_H

#include "kit/manifest.h"
#include "core/report.h"

#include <stdbool.h>
#include <stddef.h>

/* Loads the repository's manifest or fails the test; chdir()s to the
 * repository root, where manifest paths and arguments are relative. */
void pitfall_manifest_load(struct manifest *manifest);

/* Runs BUILD/pitfalls/NAME (fixed: BUILD/solutions/NAME) with the manifest's
 * arguments, stdin and timeout through check_run(), or fails the test. */
void pitfall_check(const struct manifest_pitfall *pitfall, bool fixed, bool valgrind,
                   struct report *report);
/* The same for BUILD/FOLDER/NAME: FOLDER is "pitfalls", "solutions", or
 * RAW_FIX_FOLDER for the fix with raw system calls. */
void pitfall_check_in(const struct manifest_pitfall *pitfall, const char *folder, bool valgrind,
                      struct report *report);
/* The same under every schedule, as grade runs it (no valgrind pass). */
void pitfall_check_all_schedules(const struct manifest_pitfall *pitfall, const char *folder,
                                 struct report *report);

/* Where an exercise's fix with raw system calls is, as NAME.c, when its
 * fixed program (solutions/NAME.c) uses the wrapper; a fixed program that
 * does not is itself the raw fix. */
#define RAW_FIX_FOLDER "solutions/raw"

/* The finding kinds of a report as a bit set (1 << kind), and as words, e.g.
 * "zombie, fd_leak", into buffer. */
unsigned report_kind_set(const struct report *report);
const char *kind_set_text(unsigned kinds, char *buffer, size_t size);

/* How many processes of the run were copying spawns: created by fork()
 * from a big parent only to exec (process_record_is_copying_spawn). */
size_t report_copying_spawns(const struct report *report);

/* How many runs make "the same every time" believable, and under valgrind
 * (each run is a few seconds there). Fewer for a pitfall that runs into its
 * timeout, and in the sanitizer build, whose job is memory errors. */
int pitfall_repeats(const struct manifest_pitfall *pitfall, bool fixed, bool valgrind);

#endif
