/* spawn.c: the wrapper beside what a user would pick instead, measured in the
 * same run with the ways taking turns:
 * 1. spawn + wait of /bin/true: fl_command_status(), glibc's posix_spawn,
 *    fork+exec, and Rust's Command::status(), from a parent of 0 and of 2 GiB
 *    of touched heap (where fork must copy the page tables);
 * 2. the cost of the signal reset every child makes before exec;
 * 3. 1 GiB of stdout collected: fl_command_output(), Rust's Command::output(),
 *    Python's subprocess.run(capture_output=True), and `head | cat`, which
 *    keeps nothing: the floor of moving the bytes through a pipe.
 * Targets (exit status 1 when missed): wrapper/posix_spawn at most 1.05x at
 * both heap sizes; output() at most 0.6x the time of Rust's output().
 * usage: spawn [--rust PEER] [--python SCRIPT]: the peers (bench/peers/) run
 * as child processes that time their own calls and answer on a pipe; a way
 * whose peer is not given is left out, and its target with it.
 *
 * Not quite the same work. Per spawn the wrapper also creates an error pipe
 * and reads its EOF (how exec failure comes back), gets a pidfd (CLONE_PIDFD)
 * and closes it after reaping, and marks inherited descriptors close-on-exec
 * in the child (close_range): 6 system calls that glibc's posix_spawn with no
 * attributes does not make (it reports exec failure through the shared
 * memory and leaves descriptors alone). Both children set every signal's
 * action: ours with one rt_sigaction per signal, glibc's with two (it reads
 * each first, to keep ignored ones), so in all (strace -f -c of 100 spawns
 * of /bin/true, which makes 29 itself) the wrapper makes about 102 system
 * calls per spawn and posix_spawn about 159.
 * output() does more than the pipeline: it keeps the 1 GiB, in fresh memory
 * the kernel must zero, where `cat >/dev/null` reuses one small buffer. On a
 * virtual machine whose host takes freed guest memory back (free page
 * reporting, e.g. Firecracker), fresh memory also costs host faults on first
 * touch, for every way that keeps the bytes: the per-run figures show the
 * spread, and taking turns spreads it evenly. */
#include "forklab.h"
#include "internal.h" /* fl__reset_signal_actions, timed on its own */

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Whole cycles of the order of turns (see way_at) for 2, 3 and 4 ways. */
#define SPAWN_ROUNDS  120
#define RESET_ROUNDS  1001
#define OUTPUT_ROUNDS 12
#define OUTPUT_BYTES  "1073741824"
#define BIG_HEAP      ((size_t)2 << 30)
#define SPAWN_TARGET  1.05
#define OUTPUT_TARGET 0.60

extern char **environ;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at fraction q of n values (left unsorted), between the two
 * nearest ranks: q = 0.5 is the median, the mean of the middle two for an
 * even n. */
static double quantile(const double *values, int n, double q)
{
    double sorted[SPAWN_ROUNDS > RESET_ROUNDS ? SPAWN_ROUNDS : RESET_ROUNDS];
    memcpy(sorted, values, (size_t)n * sizeof *values);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
    double rank = q * (n - 1);
    int below = (int)rank;
    if (below + 1 >= n)
        return sorted[n - 1];
    return sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]);
}

static double median(const double *values, int n)
{
    return quantile(values, n, 0.5);
}

/* Which of n ways runs at position `turn` of round `round`. The rounds follow
 * a Williams design (a balanced Latin square): over a cycle of n rounds (2n
 * for an odd n: each row, then its mirror) every way runs in every position,
 * and right after every other way, equally often. A plain rotation would not
 * do: it changes who starts, but each way still always runs right after the
 * same other one, and the way right after fork+exec pays for the teardown of
 * that child's copied page tables (a fork from 2 GiB takes 30-50 ms). In the
 * rotation this benchmark used before, the wrapper ran right after fork+exec
 * in most rounds and posix_spawn never: it showed 1.03-1.09x posix_spawn at
 * 2 GiB, against 1.00x when the two alone took turns. */
static int way_at(int n, int round, int turn)
{
    int row = round % (n % 2 ? 2 * n : n);
    if (row >= n) {
        row -= n;
        turn = n - 1 - turn;
    }
    /* The first row is 0, 1, n-1, 2, n-2, ...; the others add row to it. */
    int first = turn == 0 ? 0 : turn % 2 ? (turn + 1) / 2 : n - turn / 2;
    return (first + row) % n;
}

static void must(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "10-wrapper: %s failed\n", what);
        exit(1);
    }
}

/* ---- peers: a program in another language, timing its own calls ------- */

struct peer {
    const char *name;
    struct fl_child *child; /* NULL: not running, its ways are left out */
    FILE *requests, *answers;
};

static void peer_start(struct peer *peer, const char *name, const char *const *argv)
{
    *peer = (struct peer){.name = name};
    struct fl_command *cmd = fl_command_new(argv[0]);
    must(cmd != NULL, "fl_command_new");
    fl_command_args(cmd, argv + 1);
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    if (fl_command_spawn(cmd, &peer->child) < 0) {
        fprintf(stderr, "10-wrapper: %s\n", fl_command_strerror(cmd));
        exit(1);
    }
    fl_command_free(&cmd);
    peer->requests = fdopen(fl_child_take_fd(peer->child, FL_STDIN), "w");
    peer->answers = fdopen(fl_child_take_fd(peer->child, FL_STDOUT), "r");
    must(peer->requests && peer->answers, "fdopen");
}

/* Sends one request line and returns the number the peer answers. */
static double peer_ask(struct peer *peer, const char *request)
{
    char answer[64];
    fprintf(peer->requests, "%s\n", request);
    fflush(peer->requests);
    if (!fgets(answer, sizeof answer, peer->answers)) {
        fprintf(stderr, "10-wrapper: %s gave no answer to \"%s\"\n", peer->name, request);
        exit(1);
    }
    if (strncmp(answer, "ok ", 3) == 0)
        return strtod(answer + 3, NULL);
    return strtod(answer, NULL);
}

static void peer_stop(struct peer *peer)
{
    if (!peer->child)
        return;
    fclose(peer->requests); /* EOF: the peer ends */
    fclose(peer->answers);
    struct fl_status status;
    must(fl_child_wait(peer->child, &status) == 0 && fl_status_success(status), peer->name);
    fl_child_free(&peer->child);
}

/* ---- spawn + wait ------------------------------------------------------ */

enum { WRAPPER, POSIX_SPAWN, FORK_EXEC, RUST_STATUS, SPAWN_WAYS };

static double time_wrapper(struct fl_command *cmd)
{
    struct fl_status status;
    double start = now_seconds();
    must(fl_command_status(cmd, &status) == 0 && fl_status_success(status), "wrapper");
    return now_seconds() - start;
}

static double time_posix_spawn(char *const argv[])
{
    pid_t pid;
    int status;
    double start = now_seconds();
    must(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0, "posix_spawn");
    must(waitpid(pid, &status, 0) == pid && status == 0, "waitpid");
    return now_seconds() - start;
}

static double time_fork_exec(char *const argv[])
{
    int status;
    double start = now_seconds();
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, environ);
        _exit(127);
    }
    must(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0, "fork+exec");
    return now_seconds() - start;
}

/* One table row: per way the median and interquartile range in seconds, and
 * the median of the per-round ratios wrapper/posix_spawn, which a slow drift
 * of the machine's load affects less than a ratio of medians does. */
struct spawn_times {
    double median[SPAWN_WAYS], q1[SPAWN_WAYS], q3[SPAWN_WAYS];
    double paired_ratio;
};

/* The ways run in turn, in the order way_at() gives, so that a burst of load
 * on the machine hits all of them alike, and none always runs right after
 * the same other one. */
static void time_spawns(struct peer *rust, struct spawn_times *result)
{
    static double samples[SPAWN_WAYS][SPAWN_ROUNDS], ratios[SPAWN_ROUNDS];
    char *argv[] = {"/bin/true", NULL};
    struct fl_command *cmd = fl_command_new("/bin/true");
    must(cmd != NULL, "fl_command_new");
    int ways = rust->child ? SPAWN_WAYS : RUST_STATUS;
    for (int i = 0; i < SPAWN_ROUNDS; i++) {
        for (int turn = 0; turn < ways; turn++) {
            int way = way_at(ways, i, turn);
            samples[way][i] = way == WRAPPER       ? time_wrapper(cmd)
                              : way == POSIX_SPAWN ? time_posix_spawn(argv)
                              : way == FORK_EXEC   ? time_fork_exec(argv)
                                                   : peer_ask(rust, "status");
        }
        ratios[i] = samples[WRAPPER][i] / samples[POSIX_SPAWN][i];
    }
    fl_command_free(&cmd);
    for (int way = 0; way < SPAWN_WAYS; way++) {
        result->median[way] = way < ways ? median(samples[way], SPAWN_ROUNDS) : 0;
        result->q1[way] = way < ways ? quantile(samples[way], SPAWN_ROUNDS, 0.25) : 0;
        result->q3[way] = way < ways ? quantile(samples[way], SPAWN_ROUNDS, 0.75) : 0;
    }
    result->paired_ratio = median(ratios, SPAWN_ROUNDS);
}

/* "Q1-Q3" of one way in microseconds, or "-" for a way left out. */
static const char *iqr_text(const struct spawn_times *t, int way, char *buf, size_t len)
{
    if (t->median[way] > 0)
        snprintf(buf, len, "%.0f-%.0f", t->q1[way] * 1e6, t->q3[way] * 1e6);
    else
        snprintf(buf, len, "-");
    return buf;
}

static void print_spawn_header(void)
{
    printf("%-11s %9s %11s %9s %9s | %9s %8s %9s %9s\n", "parent heap", "wrapper", "posix_spawn",
           "fork+exec", "Rust", "wrap/spwn", "(paired)", "Rust/spwn", "fork/spwn");
}

static void print_spawn_row(const char *heap, const struct spawn_times *t)
{
    const double *m = t->median;
    double rust = m[RUST_STATUS] > 0 ? m[RUST_STATUS] / m[POSIX_SPAWN] : 0;
    printf("%-11s %9.1f %11.1f %9.1f %9.1f | %8.3fx %7.3fx %8.3fx %8.2fx\n", heap, m[WRAPPER] * 1e6,
           m[POSIX_SPAWN] * 1e6, m[FORK_EXEC] * 1e6, m[RUST_STATUS] * 1e6,
           m[WRAPPER] / m[POSIX_SPAWN], t->paired_ratio, rust, m[FORK_EXEC] / m[POSIX_SPAWN]);
    char iqr[SPAWN_WAYS][32];
    for (int way = 0; way < SPAWN_WAYS; way++)
        iqr_text(t, way, iqr[way], sizeof iqr[way]);
    printf("%-11s %9s %11s %9s %9s\n", "  (IQR)", iqr[0], iqr[1], iqr[2], iqr[3]);
}

/* ---- the signal reset ---------------------------------------------------- */

/* The child's own code, timed here in the parent: the same system calls, on
 * the same kernel, without the noise of a whole spawn around them. Our own
 * dispositions are saved and put back. */
static double time_signal_reset(void)
{
    static double samples[RESET_ROUNDS];
    struct sigaction saved[65];
    for (int sig = 1; sig <= 64; sig++)
        sigaction(sig, NULL, &saved[sig]);
    for (int i = 0; i < RESET_ROUNDS; i++) {
        double start = now_seconds();
        must(fl__reset_signal_actions(0) == 0, "the signal reset");
        samples[i] = now_seconds() - start;
    }
    for (int sig = 1; sig <= 64; sig++)
        sigaction(sig, &saved[sig], NULL);
    return median(samples, RESET_ROUNDS);
}

/* ---- 1 GiB of output ----------------------------------------------------- */

enum { OUT_WRAPPER, OUT_RUST, OUT_PYTHON, OUT_PIPELINE, OUTPUT_WAYS };

static double time_output(void)
{
    struct fl_command *cmd = fl_command_new("head");
    const char *args[] = {"-c", OUTPUT_BYTES, "/dev/zero", NULL};
    fl_command_args(cmd, args);
    struct fl_output out;
    double start = now_seconds();
    must(fl_command_output(cmd, &out) == 0 && out.out_len == (size_t)1 << 30, "output()");
    double elapsed = now_seconds() - start;
    fl_output_free(&out);
    fl_command_free(&cmd);
    return elapsed;
}

static double time_shell_pipeline(void)
{
    char *argv[] = {"/bin/sh", "-c", "head -c " OUTPUT_BYTES " /dev/zero | cat >/dev/null", NULL};
    return time_posix_spawn(argv);
}

static void print_runs(const char *what, const double *runs, int n)
{
    printf("  %-38s", what);
    for (int i = 0; i < n; i++)
        printf(" %6.3f", runs[i]);
    printf("   median %6.3f\n", median(runs, n));
}

int main(int argc, char **argv)
{
    struct peer rust = {.name = "Rust"}, python = {.name = "Python"};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rust") == 0)
            peer_start(&rust, "Rust", (const char *const[]){argv[i + 1], NULL});
        else if (strcmp(argv[i], "--python") == 0)
            peer_start(&python, "Python", (const char *const[]){"python3", argv[i + 1], NULL});
    }

    struct spawn_times small, big;
    time_spawns(&rust, &small);
    double reset = time_signal_reset();

    double runs[OUTPUT_WAYS][OUTPUT_ROUNDS];
    bool present[OUTPUT_WAYS] = {true, rust.child != NULL, python.child != NULL, true};
    int taking_part[OUTPUT_WAYS], ways = 0;
    for (int way = 0; way < OUTPUT_WAYS; way++)
        if (present[way])
            taking_part[ways++] = way;
    for (int i = 0; i < OUTPUT_ROUNDS; i++) {
        for (int turn = 0; turn < ways; turn++) {
            int way = taking_part[way_at(ways, i, turn)];
            runs[way][i] = way == OUT_WRAPPER  ? time_output()
                           : way == OUT_RUST   ? peer_ask(&rust, "output " OUTPUT_BYTES)
                           : way == OUT_PYTHON ? peer_ask(&python, "output " OUTPUT_BYTES)
                                               : time_shell_pipeline();
        }
    }
    peer_stop(&python);

    /* Touched, so that every page is mapped and fork has tables to copy. */
    char *heap = malloc(BIG_HEAP);
    must(heap != NULL, "malloc 2 GiB");
    memset(heap, 1, BIG_HEAP);
    if (rust.child)
        must(peer_ask(&rust, "heap 2048") == 2048, "Rust's 2 GiB heap");
    time_spawns(&rust, &big);
    peer_stop(&rust);
    free(heap);

    printf("spawn + wait of /bin/true, median of %d rounds, the ways in turn, in microseconds\n",
           SPAWN_ROUNDS);
    print_spawn_header();
    print_spawn_row("0 MiB", &small);
    print_spawn_row("2 GiB", &big);
    printf("(Rust: Command::status(); paired: median of the per-round ratios wrapper/posix_spawn;"
           " 0: left out)\n");
    printf("signal reset in the child (rt_sigaction for 62 signals, between clone and exec): "
           "%.1f us, %.1f%% of the wrapper's spawn\n",
           reset * 1e6, 100 * reset / small.median[WRAPPER]);

    printf("\n1 GiB of stdout (head -c 1G /dev/zero) collected in memory, %d rounds, the ways in "
           "turn, in seconds\n",
           OUTPUT_ROUNDS);
    const char *names[OUTPUT_WAYS] = {"fl_command_output()", "Rust Command::output()",
                                      "Python subprocess.run(capture_output)",
                                      "head | cat >/dev/null (keeps nothing)"};
    double medians[OUTPUT_WAYS];
    for (int way = 0; way < OUTPUT_WAYS; way++) {
        if (present[way]) {
            print_runs(names[way], runs[way], OUTPUT_ROUNDS);
            medians[way] = median(runs[way], OUTPUT_ROUNDS);
        } else {
            printf("  %-38s skipped: no peer given\n", names[way]);
        }
    }
    if (present[OUT_RUST])
        printf("  output() / Rust's output():   %.2fx (target: at most %.2fx)\n",
               medians[OUT_WRAPPER] / medians[OUT_RUST], OUTPUT_TARGET);
    if (present[OUT_PYTHON])
        printf("  output() / Python's run():    %.2fx\n",
               medians[OUT_WRAPPER] / medians[OUT_PYTHON]);
    printf("  output() / head | cat:        %.2fx\n", medians[OUT_WRAPPER] / medians[OUT_PIPELINE]);
    fflush(stdout); /* the table first, then any miss on stderr */

    int status = 0;
    if (small.median[WRAPPER] / small.median[POSIX_SPAWN] > SPAWN_TARGET ||
        big.median[WRAPPER] / big.median[POSIX_SPAWN] > SPAWN_TARGET) {
        fprintf(stderr, "10-wrapper: wrapper/posix_spawn above the target of %.2fx\n",
                SPAWN_TARGET);
        status = 1;
    }
    if (present[OUT_RUST] && medians[OUT_WRAPPER] / medians[OUT_RUST] > OUTPUT_TARGET) {
        fprintf(stderr, "10-wrapper: output() above %.2fx the time of Rust's output()\n",
                OUTPUT_TARGET);
        status = 1;
    }
    return status;
}
