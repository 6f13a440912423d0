/* Tests of the XML parser on recorded valgrind 3.19 XML, on a handwritten
 * protocol 5 document (descriptor errors of valgrind 3.24), on XML cut short
 * at every byte, and on XML that is not valgrind's. */
#include "helpers.h"
#include "valgrind/xml.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static int parse_text(const char *text, size_t length, struct valgrind_output *output, char *why)
{
    valgrind_output_init(output);
    return valgrind_xml_parse(text, length, output, why, 256);
}

static void parse_recorded(const char *name, struct valgrind_output *output)
{
    size_t length;
    char *text = read_recorded(name, &length);
    char why[256] = "";
    cr_assert_eq(parse_text(text, length, output, why), 0, "%s: %s", name, why);
    free(text);
}

Test(valgrind_xml, reads_the_leaks_of_one_process)
{
    struct valgrind_output output;
    parse_recorded("xml-3.19-leak.xml", &output);
    cr_assert_eq(output.count, 1);
    const struct valgrind_process *process = &output.processes[0];
    cr_expect_gt(process->pid, 0);
    cr_expect_gt(process->ppid, 0);
    cr_expect_str_eq(base_name(process->program), "vg-leak");
    cr_expect(process->finished);
    cr_assert_eq(process->leak_count, 2);
    cr_expect_eq(process->leaks[0].loss, VALGRIND_INDIRECTLY_LOST);
    cr_expect_eq(process->leaks[0].bytes, 32);
    const struct valgrind_leak *definite = &process->leaks[1];
    cr_expect_eq(definite->loss, VALGRIND_DEFINITELY_LOST);
    cr_expect_eq(definite->bytes, 64);
    cr_expect_eq(definite->blocks, 1);
    cr_assert_geq(definite->stack.count, 3);
    cr_expect_str_eq(definite->stack.frames[0].function, "calloc");
    cr_expect_not(valgrind_frame_in_program(&definite->stack.frames[0]));
    const struct valgrind_frame *make_list = &definite->stack.frames[1];
    cr_expect_str_eq(make_list->function, "make_list");
    /* The recording was made in the checkout it came from: compare with its
     * path there, not with wherever this checkout lives. */
    cr_expect_str_eq(make_list->file, "/work/main/tests/fixtures/vg-leak.c",
                     "dir and file joined as the log prints them");
    cr_expect_eq(make_list->line, 17);
    cr_expect_str_eq(base_name(make_list->object), "vg-leak");
    cr_expect(valgrind_frame_in_program(make_list));
    cr_expect_eq(process->open_fd_count, 0, "3.19 lists descriptors in the log only");
    valgrind_output_free(&output);
}

/* With --log-fd, valgrind 3.19 gives a forked child its own XML file. */
Test(valgrind_xml, a_forked_child_names_its_parent)
{
    struct valgrind_output output;
    parse_recorded("xml-3.19-child-parent.xml", &output);
    size_t length;
    char *text = read_recorded("xml-3.19-child-forked.xml", &length);
    char why[256] = "";
    cr_assert_eq(valgrind_xml_parse(text, length, &output, why, sizeof(why)), 0, "%s", why);
    free(text);
    cr_assert_eq(output.count, 2);
    const struct valgrind_process *parent = &output.processes[0];
    const struct valgrind_process *child = &output.processes[1];
    cr_expect_eq(child->ppid, parent->pid);
    cr_expect_str_eq(child->program, parent->program);
    cr_expect_eq(parent->leak_count, 0);
    cr_assert_eq(child->leak_count, 1);
    cr_expect_eq(child->leaks[0].bytes, 100);
    cr_expect_str_eq(child->leaks[0].stack.frames[1].function, "child_work");
    valgrind_output_free(&output);
}

Test(valgrind_xml, refuses_a_file_two_processes_wrote)
{
    size_t length;
    char *text = read_recorded("xml-3.19-shared-by-fork.xml", &length);
    struct valgrind_output output;
    char why[256] = "";
    cr_expect_eq(parse_text(text, length, &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "2 XML documents in one file"), "%s", why);
    cr_expect_eq(output.count, 0, "nothing may be attributed to the wrong process");
    valgrind_output_free(&output);
    free(text);
}

/* Not a recording: valgrind 3.24 is not installed here (see data/README.md). */
Test(valgrind_xml, reads_the_descriptor_errors_of_protocol_5)
{
    struct valgrind_output output;
    parse_recorded("handwritten-protocol5-fd-errors.xml", &output);
    cr_assert_eq(output.count, 1);
    const struct valgrind_process *process = &output.processes[0];
    cr_expect_eq(process->pid, 4242);
    cr_expect(process->finished);
    cr_expect(process->fds_checked);
    cr_assert_eq(process->bad_close_count, 1);
    const struct valgrind_bad_close *bad_close = &process->bad_closes[0];
    cr_expect_eq(bad_close->fd, 3);
    cr_expect(bad_close->already_closed);
    cr_expect_str_eq(bad_close->target, "/etc/hostname");
    cr_assert_eq(bad_close->stack.count, 2, "only the first stack: where the bad close was");
    cr_expect_eq(bad_close->stack.frames[1].line, 14);

    cr_assert_eq(process->open_fd_count, 2);
    cr_expect_eq(process->open_fds[0].fd, 4);
    cr_expect_str_eq(process->open_fds[0].target, "/tmp/notes.txt");
    cr_expect_not(process->open_fds[0].inherited);
    cr_expect_eq(process->open_fds[1].fd, 5);
    cr_expect(process->open_fds[1].inherited);
    cr_expect_null(process->open_fds[1].target);
    valgrind_output_free(&output);
}

Test(valgrind_xml, survives_xml_cut_at_every_byte)
{
    size_t length;
    char *text = read_recorded("xml-3.19-leak.xml", &length);
    size_t complete = 0;
    for (size_t cut = 0; cut <= length; cut++) {
        struct valgrind_output output;
        char why[256] = "";
        int result = parse_text(text, cut, &output, why);
        cr_assert(result == 0 || result == -EBADMSG, "cut at %zu: %d", cut, result);
        if (result == -EBADMSG)
            cr_assert_neq(why[0], '\0', "cut at %zu: no reason given", cut);
        else
            complete++;
        valgrind_output_free(&output);
    }
    /* Only the whole document parses, with or without some of its trailing newlines. */
    const char *end = strstr(text, "</valgrindoutput>") + strlen("</valgrindoutput>");
    cr_expect_eq(complete, length - (size_t)(end - text) + 1);
    free(text);
}

Test(valgrind_xml, a_cut_file_says_where_and_keeps_the_process)
{
    size_t length;
    char *text = read_recorded("xml-3.19-leak.xml", &length);
    size_t cut = (size_t)(strstr(text, "<errorcounts>") - text);
    struct valgrind_output output;
    char why[256] = "";
    cr_expect_eq(parse_text(text, cut, &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "line "), "%s", why);
    cr_assert_eq(output.count, 1, "pid, program and the leaks read before the cut stay");
    cr_expect_eq(output.processes[0].leak_count, 2);
    valgrind_output_free(&output);
    free(text);
}

Test(valgrind_xml, refuses_xml_that_is_not_valgrinds)
{
    static const char html[] = "<?xml version=\"1.0\"?><html><body/></html>";
    struct valgrind_output output;
    char why[256] = "";
    cr_expect_eq(parse_text(html, sizeof(html) - 1, &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "not valgrind XML"), "%s", why);
    valgrind_output_free(&output);

    static const char prose[] = "valgrind: the 'impossible' happened";
    cr_expect_eq(parse_text(prose, sizeof(prose) - 1, &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "line 1"), "%s", why);
    valgrind_output_free(&output);

    static const char no_pid[] = "<valgrindoutput><status><state>FINISHED</state></status>"
                                 "</valgrindoutput>";
    cr_expect_eq(parse_text(no_pid, sizeof(no_pid) - 1, &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "<pid>"), "%s", why);
    valgrind_output_free(&output);
}

Test(valgrind_xml, refuses_nesting_valgrind_never_writes)
{
    char text[4096] = "<valgrindoutput><pid>5</pid>";
    for (int i = 0; i < 40; i++)
        strcat(text, "<error>");
    struct valgrind_output output;
    char why[256] = "";
    cr_expect_eq(parse_text(text, strlen(text), &output, why), -EBADMSG);
    cr_expect_not_null(strstr(why, "nested"), "%s", why);
    valgrind_output_free(&output);
}
