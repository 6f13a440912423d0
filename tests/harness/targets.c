/* Targets that are not C: shell scripts and Python programs, correct ones
 * clean and broken ones found, STABILITY_RUNS times each. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <unistd.h>

#define PYTHON  "/usr/bin/python3"
#define RELAXED CHECK_DEFAULT_TIMEOUT_MS

#define SCRIPT(name, expected, ...)                                                                \
    Test(targets, name)                                                                            \
    {                                                                                              \
        char *argv[] = {__VA_ARGS__, NULL};                                                        \
        if (access(argv[0], X_OK) != 0)                                                            \
            cr_skip_test("%s is not installed", argv[0]);                                          \
        assert_verdict_stable(argv, RELAXED, expected, STABILITY_RUNS);                            \
    }

SCRIPT(sh_pipeline_ok, NO_KINDS, "/bin/sh", "-c", "echo a | cat; ls / > /dev/null")
SCRIPT(bash_subshells_ok, NO_KINDS, "/bin/bash", "-c",
       "x=$(ls / | wc -l); echo $x | cat; (true; /bin/true) | cat > /dev/null")
SCRIPT(sh_background_job_is_an_orphan, KIND(FINDING_RUNAWAY_CHILD), "/bin/sh", "-c", "sleep 30 &")
SCRIPT(sh_fd_passed_to_a_program, KIND(FINDING_FD_LEAK), "/bin/sh", "-c",
       "exec 3< /dev/null; /bin/true")
SCRIPT(sh_failed_command_ok, NO_KINDS, "/bin/sh", "-c",
       "forklab-no-such-command 2> /dev/null; /bin/true")

SCRIPT(python_subprocess_ok, NO_KINDS, PYTHON, "-c",
       "import subprocess\n"
       "subprocess.run(['/bin/true'])\n"
       "print(subprocess.check_output(['/bin/echo', 'x']).decode().strip())\n")
SCRIPT(python_multiprocessing_pool_ok, NO_KINDS, PYTHON, "-c",
       "import multiprocessing\n"
       "def square(x):\n"
       "    return x * x\n"
       "if __name__ == '__main__':\n"
       "    with multiprocessing.Pool(2) as pool:\n"
       "        print(pool.map(square, range(8)))\n")
SCRIPT(python_zombie, KIND(FINDING_ZOMBIE), PYTHON, "-c",
       "import os\n"
       "pid = os.fork()\n"
       "if pid == 0:\n"
       "    os._exit(0)\n"
       "os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)\n")
SCRIPT(python_inheritable_fd_leaks, KIND(FINDING_FD_LEAK), PYTHON, "-c",
       "import os, subprocess\n"
       "r, w = os.pipe()\n"
       "os.set_inheritable(w, True)\n"
       "subprocess.run(['/bin/true'], close_fds=False)\n")
SCRIPT(python_abort_crashes, KIND(FINDING_CRASH), PYTHON, "-c",
       "import os, resource\n"
       "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
       "os.abort()\n")

Test(targets, allowed_fd_passed_by_a_shell)
{
    char *argv[] = {"/bin/sh", "-c", "exec 3< /dev/null; /bin/true", NULL};
    int allowed[] = {3};
    struct check_options options;
    check_options_init(&options);
    options.allowed_fds = allowed;
    options.allowed_fd_count = 1;
    struct report report;
    run_check(&options, argv, &report);
    cr_assert_eq(kinds_of(&report), NO_KINDS);
    assert_nothing_left(&report);
    report_free(&report);
}

Test(targets, program_found_through_path)
{
    char *argv[] = {"sh", "-c", "echo found", NULL};
    struct report report;
    run_program(argv, RELAXED, &report);
    cr_assert_str_eq(report.program, "/usr/bin/sh", "PATH order here: /usr/bin before /bin");
    cr_assert_str_eq(report.out.data, "found\n");
    report_free(&report);
}
