/* Helpers shared by the grader's tests: the kit of this source tree, its
 * manifest, grading one submission, and running a test body inside a pids
 * cgroup so that a fork bomb cannot hurt the machine. */
#ifndef FORKLAB_GRADE_TEST_H
#define FORKLAB_GRADE_TEST_H

#include "grade/grade.h"
#include "grade/render/grade_render.h"

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>

#define SUBMISSION(name) FORKLAB_SOURCE_DIR "/tests/fixtures/submissions/" name
/* A harness fixture's source, graded as a submission. */
#define FIXTURE_SOURCE(name) FORKLAB_SOURCE_DIR "/tests/fixtures/" name ".c"

/* The kit of the tree under test, with the plain build's libforklab.a. */
void grade_test_kit(struct kit *kit);
/* Loads pitfalls/manifest.json (asserts it loads). */
void grade_test_manifest(struct manifest *manifest);
/* The exercise called `name` (asserts it exists). */
const struct manifest_pitfall *grade_test_exercise(const struct manifest *manifest,
                                                   const char *name);

/* Options that grade `submission` for `exercise` with the kit of this tree
 * (loaded into `kit`); the caller sets what its test varies. */
void grade_test_options(struct grade_options *options, struct kit *kit,
                        const struct manifest_pitfall *exercise, const char *submission);

/* Grades `submission` for `exercise` (timeout_ms 0: the exercise's) and
 * asserts that grading itself worked. */
void grade_test_run(const struct kit *kit, const struct manifest_pitfall *exercise,
                    const char *submission, long timeout_ms, struct grade_result *result);

/* `result` rendered by `render`, as a string the caller frees; and parsed
 * as JSON (asserts it is JSON), for the caller to json_decref. */
char *grade_test_render_text(grade_renderer render, const struct grade_result *result);
json_t *grade_test_render_json(grade_renderer render, const struct grade_result *result);

/* The scored check with this id (asserts it is there). */
const struct grade_check_result *grade_test_check(const struct grade_result *result,
                                                  const char *id);

/* Ends the test with SIGALRM (a crash criterion reports) if it runs longer
 * than `seconds`. Used instead of criterion's .timeout: with several such
 * tests overlapping under --jobs, criterion 2.4.1's runner leaks 48 bytes,
 * which fails the sanitizer run of `make test`. */
void test_deadline(unsigned seconds);

/* A temporary folder for one test; removed with everything in it. */
void grade_test_tmpdir(char *path, size_t size);
void grade_test_rmdir(const char *path);

/* Whether this machine has a writable pids cgroup (v1) for the fork bomb tests. */
bool pids_cgroup_available(void);
/* Runs body(context, result_fd) in a child process that is inside a new
 * pids cgroup limited to `max_tasks`; the body writes its findings on
 * result_fd (at most `size` bytes, read into `result`). Asserts the body
 * reported and that the cgroup was empty afterwards, then removes it. */
void run_in_pids_cgroup(int max_tasks, void (*body)(void *context, int result_fd), void *context,
                        void *result, size_t size);

#endif
