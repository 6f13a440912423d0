/* Tests of valgrind version detection: parsing what `valgrind --version`
 * prints, what each version can report, the installed one, and none. */
#include "helpers.h"
#include "valgrind/valgrind.h"
#include "valgrind/version.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

Test(valgrind_version, parses_a_release)
{
    struct valgrind_version version;
    cr_assert_eq(valgrind_version_parse("valgrind-3.19.0\n", &version), 0);
    cr_expect_eq(version.major, 3);
    cr_expect_eq(version.minor, 19);
    cr_expect_eq(version.patch, 0);
}

Test(valgrind_version, parses_builds_with_a_suffix)
{
    struct valgrind_version version;
    cr_assert_eq(valgrind_version_parse("valgrind-3.19.0-8d3c8034b8-20220411", &version), 0);
    cr_expect_eq(version.minor, 19);
    cr_assert_eq(valgrind_version_parse("valgrind-3.25.0.GIT", &version), 0);
    cr_expect_eq(version.minor, 25);
}

Test(valgrind_version, rejects_other_answers)
{
    struct valgrind_version version = {7, 7, 7};
    const char *bad[] = {"", "3.19.0", "valgrind 3.19.0", "valgrind-3.x", "valgrind-", "memcheck"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_expect_eq(valgrind_version_parse(bad[i], &version), -EINVAL, "accepted \"%s\"", bad[i]);
    cr_expect_eq(version.major, 7, "a rejected answer must not change the version");
}

Test(valgrind_version, fd_errors_in_xml_start_at_3_24)
{
    cr_expect_not(valgrind_has_fd_errors_in_xml((struct valgrind_version){3, 19, 0}));
    cr_expect_not(valgrind_has_fd_errors_in_xml((struct valgrind_version){3, 23, 9}));
    cr_expect(valgrind_has_fd_errors_in_xml((struct valgrind_version){3, 24, 0}));
    cr_expect(valgrind_has_fd_errors_in_xml((struct valgrind_version){4, 0, 0}));
    cr_expect_not(valgrind_version_at_least((struct valgrind_version){2, 99, 0}, 3, 0));
}

Test(valgrind_version, detects_the_installed_valgrind)
{
    struct valgrind_version version;
    char why[256] = "";
    cr_assert_eq(valgrind_version_detect(&version, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(version.major, 3);
    cr_expect_geq(version.minor, 10);
}

/* A PATH without valgrind stands for a machine without it. */
Test(valgrind_version, says_how_to_install_a_missing_valgrind)
{
    cr_assert_eq(setenv("PATH", "/nonexistent-forklab-dir", 1), 0);
    struct valgrind_version version;
    char why[256] = "";
    cr_expect_eq(valgrind_version_detect(&version, why, sizeof(why)), -ENOENT);
    cr_expect_str_eq(why, VALGRIND_NOT_INSTALLED);
}

Test(valgrind_version, the_pass_refuses_without_valgrind)
{
    cr_assert_eq(setenv("PATH", "/nonexistent-forklab-dir", 1), 0);
    char *argv[] = {"/bin/true", NULL};
    struct check_options options = test_options(argv);
    struct valgrind_target target = test_target(&options);
    struct report report;
    report_init(&report);
    char why[256] = "";
    cr_expect_eq(valgrind_pass(&target, &report, why, sizeof(why)), -ENOENT);
    cr_expect_str_eq(why, "valgrind is not installed; install it with: apt-get install valgrind");
    cr_expect_eq(report.check_count, 0, "no check may be recorded as run");
    report_free(&report);
}
