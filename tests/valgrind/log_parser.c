/* Tests of the text log parser on recorded valgrind 3.19 logs, on logs cut
 * short at every byte, and on text that is not a valgrind log. */
#include "helpers.h"
#include "valgrind/log.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* Parses a recorded log into `output`, which the caller frees. */
static void parse_recorded(const char *name, struct valgrind_output *output)
{
    size_t length;
    char *text = read_recorded(name, &length);
    char why[256] = "";
    valgrind_output_init(output);
    cr_assert_eq(valgrind_log_parse(text, length, output, why, sizeof(why)), 0, "%s", why);
    free(text);
}

static const struct valgrind_process *process_running(const struct valgrind_output *output,
                                                      const char *program)
{
    for (size_t i = 0; i < output->count; i++)
        if (output->processes[i].program != NULL &&
            strcmp(base_name(output->processes[i].program), program) == 0)
            return &output->processes[i];
    return NULL;
}

Test(valgrind_log, reads_the_leaks_of_one_process)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-leak.log", &output);
    cr_assert_eq(output.count, 1);
    const struct valgrind_process *process = &output.processes[0];
    cr_expect_str_eq(base_name(process->program), "vg-leak");
    cr_expect(process->started_program);
    cr_expect(process->finished);
    cr_expect(process->fds_checked);
    cr_assert_eq(process->leak_count, 2);

    const struct valgrind_leak *indirect = &process->leaks[0];
    cr_expect_eq(indirect->loss, VALGRIND_INDIRECTLY_LOST);
    cr_expect_eq(indirect->bytes, 32);
    cr_expect_eq(indirect->blocks, 1);
    const struct valgrind_leak *definite = &process->leaks[1];
    cr_expect_eq(definite->loss, VALGRIND_DEFINITELY_LOST);
    cr_expect_eq(definite->bytes, 64, "direct and indirect bytes together, as valgrind counts");

    /* calloc in valgrind's preload first, then the program's own frames. */
    cr_assert_geq(definite->stack.count, 3);
    cr_expect_str_eq(definite->stack.frames[0].function, "calloc");
    cr_expect_not_null(strstr(definite->stack.frames[0].object, "vgpreload_memcheck"));
    cr_expect_not(valgrind_frame_in_program(&definite->stack.frames[0]));
    const struct valgrind_frame *make_list = &definite->stack.frames[1];
    cr_expect_str_eq(make_list->function, "make_list");
    cr_expect_str_eq(base_name(make_list->file), "vg-leak.c");
    cr_expect_eq(make_list->line, 17);
    cr_expect(valgrind_frame_in_program(make_list));

    /* Only valgrind's own log descriptor was open at exit. */
    cr_assert_eq(process->open_fd_count, 1);
    cr_expect_eq(process->open_fds[0].fd, 100);
    cr_expect(process->open_fds[0].inherited);
    valgrind_output_free(&output);
}

Test(valgrind_log, a_clean_run_has_no_leak)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-leak-clean.log", &output);
    cr_assert_eq(output.count, 1);
    cr_expect(output.processes[0].finished);
    cr_expect_eq(output.processes[0].leak_count, 0);
    valgrind_output_free(&output);
}

/* vg-fd-leak (pipe left open) exec'd vg-child-leak, whose forked child leaked. */
Test(valgrind_log, takes_a_shared_log_apart_by_pid)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    cr_assert_eq(output.count, 3);

    const struct valgrind_process *main = process_running(&output, "vg-fd-leak");
    cr_assert_not_null(main);
    cr_expect(main->finished);
    cr_expect_eq(main->leak_count, 0);
    cr_assert_eq(main->open_fd_count, 3); /* the pipe's two ends and the log */
    cr_expect_eq(main->open_fds[0].fd, 4);
    cr_expect_str_eq(main->open_fds[0].target, "pipe", "named after the call that made it");
    cr_expect_not(main->open_fds[0].inherited);
    cr_expect_str_eq(main->open_fds[0].stack.frames[0].function, "pipe");
    cr_expect_not(valgrind_frame_in_program(&main->open_fds[0].stack.frames[0]),
                  "libc's source path is relative: not the program's");
    cr_expect(valgrind_frame_in_program(&main->open_fds[0].stack.frames[1]));

    const struct valgrind_process *exec = process_running(&output, "vg-child-leak");
    cr_assert_not_null(exec);
    cr_expect_eq(exec->leak_count, 0);
    cr_assert_eq(exec->open_fd_count, 3);
    cr_expect_eq(exec->open_fds[1].fd, 4);
    cr_expect(exec->open_fds[1].inherited, "the pipe came through exec");
    cr_expect_null(exec->open_fds[1].target);

    const struct valgrind_process *forked = NULL;
    for (size_t i = 0; i < output.count; i++)
        if (output.processes[i].program == NULL)
            forked = &output.processes[i];
    cr_assert_not_null(forked, "a forked child prints no Command: line");
    cr_expect_not(forked->started_program);
    cr_expect(forked->finished);
    cr_assert_eq(forked->leak_count, 1);
    cr_expect_eq(forked->leaks[0].bytes, 100);
    cr_expect_str_eq(forked->leaks[0].stack.frames[1].function, "child_work");
    valgrind_output_free(&output);
}

Test(valgrind_log, reads_a_close_of_minus_one)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-bad-close.log", &output);
    cr_assert_eq(output.count, 1);
    cr_assert_eq(output.processes[0].bad_close_count, 1);
    cr_expect_eq(output.processes[0].bad_closes[0].fd, -1);
    cr_expect_not(output.processes[0].bad_closes[0].already_closed);
    valgrind_output_free(&output);
}

Test(valgrind_log, reads_a_crash_and_the_leak_check_after_it)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-crash.log", &output);
    cr_assert_eq(output.count, 1);
    const struct valgrind_process *process = &output.processes[0];
    cr_expect_eq(process->fatal_signal, 11);
    cr_expect(process->finished, "the last line has no newline, yet it counts");
    cr_assert_eq(process->leak_count, 1);
    cr_expect_eq(process->leaks[0].bytes, 64);
    valgrind_output_free(&output);
}

/* The files of --log-file stay open in the program (valgrind 3.19): the
 * reason the pass passes --log-fd instead. */
Test(valgrind_log, records_why_the_pass_avoids_log_file)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-log-file-fd3.log", &output);
    cr_assert_eq(output.count, 1);
    const struct valgrind_process *process = &output.processes[0];
    cr_assert_eq(process->open_fd_count, 2);
    cr_expect_eq(process->open_fds[1].fd, 3);
    cr_expect_not_null(strstr(process->open_fds[1].target, "vg."));
    valgrind_output_free(&output);
}

Test(valgrind_log, survives_a_log_cut_at_every_byte)
{
    size_t length;
    char *text = read_recorded("log-3.19-tree.log", &length);
    for (size_t cut = 0; cut <= length; cut++) {
        struct valgrind_output output;
        valgrind_output_init(&output);
        char why[256] = "";
        int result = valgrind_log_parse(text, cut, &output, why, sizeof(why));
        cr_assert(result == 0 || result == -EBADMSG, "cut at %zu: %d", cut, result);
        if (result == -EBADMSG)
            cr_assert_neq(why[0], '\0', "cut at %zu: no reason given", cut);
        valgrind_output_free(&output);
    }
    free(text);
}

Test(valgrind_log, a_cut_log_leaves_its_process_unfinished)
{
    size_t length;
    char *text = read_recorded("log-3.19-leak.log", &length);
    const char *record = strstr(text, "64 (32 direct");
    cr_assert_not_null(record);
    size_t cut = (size_t)(strstr(record, "calloc") - text); /* in the middle of the stack */
    struct valgrind_output output;
    valgrind_output_init(&output);
    char why[256];
    cr_assert_eq(valgrind_log_parse(text, cut, &output, why, sizeof(why)), 0);
    cr_assert_eq(output.count, 1);
    cr_expect_not(output.processes[0].finished);
    cr_expect_eq(output.processes[0].leak_count, 2, "the record started is kept");
    valgrind_output_free(&output);
    free(text);
}

Test(valgrind_log, refuses_text_that_is_not_a_valgrind_log)
{
    static const char text[] = "hello\nthis is not valgrind\n==12== \n";
    struct valgrind_output output;
    valgrind_output_init(&output);
    char why[256] = "";
    /* "==12== " is a valgrind line: the other two are skipped, not an error. */
    cr_expect_eq(valgrind_log_parse(text, sizeof(text) - 1, &output, why, sizeof(why)), 0);
    cr_expect_eq(output.skipped_lines, 2);
    valgrind_output_free(&output);

    static const char prose[] = "Segmentation fault\ncore dumped\n";
    valgrind_output_init(&output);
    cr_expect_eq(valgrind_log_parse(prose, sizeof(prose) - 1, &output, why, sizeof(why)), -EBADMSG);
    cr_expect_not_null(strstr(why, "not a valgrind log"), "%s", why);
    cr_expect_eq(output.count, 0);
    valgrind_output_free(&output);
}

Test(valgrind_log, survives_binary_garbage)
{
    char garbage[4096];
    unsigned state = 12345;
    for (size_t i = 0; i < sizeof(garbage); i++) {
        state = state * 1103515245 + 12345;
        garbage[i] = (char)(state >> 16);
    }
    memcpy(garbage + 100, "==77== 12 bytes in 1 blocks are definitely lost\n==77==    by 0x", 63);
    struct valgrind_output output;
    valgrind_output_init(&output);
    char why[256];
    int result = valgrind_log_parse(garbage, sizeof(garbage), &output, why, sizeof(why));
    cr_expect(result == 0 || result == -EBADMSG);
    valgrind_output_free(&output);
}

Test(valgrind_log, an_empty_log_has_no_process)
{
    struct valgrind_output output;
    valgrind_output_init(&output);
    char why[256];
    cr_expect_eq(valgrind_log_parse("", 0, &output, why, sizeof(why)), 0);
    cr_expect_eq(output.count, 0);
    valgrind_output_free(&output);
}

/* Two processes writing at once: each stack line goes to its own pid's record. */
Test(valgrind_log, interleaved_lines_stay_with_their_process)
{
    static const char text[] =
        "==10== 8 bytes in 1 blocks are definitely lost in loss record 1 of 1\n"
        "==11== 16 bytes in 2 blocks are indirectly lost in loss record 1 of 1\n"
        "==10==    at 0x1: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)\n"
        "==11==    at 0x2: calloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)\n"
        "==10==    by 0x3: ten (/src/a.c:10)\n"
        "==11==    by 0x4: eleven (/src/b.c:11)\n";
    struct valgrind_output output;
    valgrind_output_init(&output);
    char why[256];
    cr_assert_eq(valgrind_log_parse(text, sizeof(text) - 1, &output, why, sizeof(why)), 0);
    const struct valgrind_process *ten = valgrind_output_find(&output, 10);
    const struct valgrind_process *eleven = valgrind_output_find(&output, 11);
    cr_assert(ten != NULL && eleven != NULL);
    cr_assert_eq(ten->leaks[0].stack.count, 2);
    cr_expect_str_eq(ten->leaks[0].stack.frames[1].function, "ten");
    cr_assert_eq(eleven->leaks[0].stack.count, 2);
    cr_expect_str_eq(eleven->leaks[0].stack.frames[1].function, "eleven");
    cr_expect_eq(eleven->leaks[0].blocks, 2);
    valgrind_output_free(&output);
}
