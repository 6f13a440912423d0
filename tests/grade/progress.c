/* The saved self-study progress: a missing file is a fresh start, a saved
 * entry comes back as it was, a file that is not progress is refused with a
 * reason, and saving replaces the file whole. */
#include "grade_test.h"
#include "study/progress.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

Test(progress, a_missing_file_is_a_fresh_start)
{
    char dir[64];
    grade_test_tmpdir(dir, sizeof(dir));
    struct progress progress;
    char why[512] = "";
    cr_assert_eq(progress_open(&progress, dir, false, why, sizeof(why)), 0, "%s", why);
    struct progress_entry entry;
    progress_get(&progress, "03-zombies", &entry);
    cr_expect_eq(entry.status, PROGRESS_NOT_STARTED);
    cr_expect_eq(entry.hints_shown, 0);
    cr_expect_eq(entry.score, -1);
    progress_close(&progress);
    grade_test_rmdir(dir);
}

Test(progress, an_entry_comes_back_as_saved)
{
    char dir[64], work[128];
    grade_test_tmpdir(dir, sizeof(dir));
    snprintf(work, sizeof(work), "%s/exercises", dir); /* created by the update */
    struct progress progress;
    char why[512] = "";
    cr_assert_eq(progress_open(&progress, work, true, why, sizeof(why)), 0, "%s", why);
    struct progress_entry saved = {PROGRESS_FAILING, 2, 3, 8};
    cr_assert_eq(progress_set(&progress, "03-zombies", &saved), 0);
    struct progress_entry started = {PROGRESS_FAILING, 0, -1, -1};
    cr_assert_eq(progress_set(&progress, "01-nested-forks", &started), 0);
    cr_assert_eq(progress_save(&progress, why, sizeof(why)), 0, "%s", why);
    progress_close(&progress);

    cr_assert_eq(progress_open(&progress, work, false, why, sizeof(why)), 0, "%s", why);
    struct progress_entry entry;
    progress_get(&progress, "03-zombies", &entry);
    cr_expect_eq(entry.status, PROGRESS_FAILING);
    cr_expect_eq(entry.hints_shown, 2);
    cr_expect_eq(entry.score, 3);
    cr_expect_eq(entry.max_score, 8);
    progress_get(&progress, "01-nested-forks", &entry);
    cr_expect_eq(entry.score, -1, "never verified");
    progress_close(&progress);

    /* Only the progress file and its lock are left: no temporary file. */
    char path[256];
    snprintf(path, sizeof(path), "%s/" PROGRESS_FILE, work);
    cr_expect_eq(access(path, R_OK), 0);
    grade_test_rmdir(dir);
}

Test(progress, a_file_that_is_not_progress_is_refused)
{
    char dir[64], path[128];
    grade_test_tmpdir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/" PROGRESS_FILE, dir);
    FILE *file = fopen(path, "w");
    cr_assert_not_null(file);
    fputs("{\"something\": \"else\"}\n", file);
    fclose(file);
    struct progress progress;
    char why[512] = "";
    cr_expect_eq(progress_open(&progress, dir, false, why, sizeof(why)), -EINVAL);
    cr_expect_not_null(strstr(why, "not forklab progress"), "%s", why);
    cr_expect_not_null(strstr(why, "delete it"), "%s", why);
    grade_test_rmdir(dir);
}
