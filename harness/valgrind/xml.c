/* Reads valgrind's XML with expat. Elements are recognised by their path
 * (valgrindoutput/error/stack/frame/fn...), their text is collected and acted
 * on at the closing tag: one <error> becomes one leak, descriptor or close. */
#include "valgrind/xml.h"

#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* The <error> being read. */
struct xml_error {
    char *kind;
    unsigned long long bytes, blocks;
    int fd;
    bool has_fd;
    char *path;
    bool inherited;
    struct valgrind_stack stack; /* the first <stack>: the one the error is about */
    int stacks_seen;
    struct valgrind_frame frame; /* the <frame> being read */
    char *frame_dir;
};

struct xml_reader {
    XML_Parser parser;
    struct valgrind_output *output;
    pid_t pid; /* 0 until <pid> was read */
    pid_t ppid;
    char *exe;
    bool finished;
    int fatal_signal;
    char *names[MAX_DEPTH]; /* the path of the open elements */
    int depth;
    char *text; /* character data of the innermost element */
    size_t text_length, text_capacity;
    bool in_error;
    struct xml_error error;
    int failure; /* 0, or the negative errno that stopped the parse */
    char failure_text[160];
};

static void frame_clear(struct xml_error *error)
{
    free(error->frame.function);
    free(error->frame.file);
    free(error->frame.object);
    free(error->frame_dir);
    memset(&error->frame, 0, sizeof(error->frame));
    error->frame_dir = NULL;
}

static void error_clear(struct xml_error *error)
{
    free(error->kind);
    free(error->path);
    for (size_t i = 0; i < error->stack.count; i++) {
        free(error->stack.frames[i].function);
        free(error->stack.frames[i].file);
        free(error->stack.frames[i].object);
    }
    free(error->stack.frames);
    frame_clear(error);
    memset(error, 0, sizeof(*error));
}

static void fail(struct xml_reader *reader, int code, const char *reason)
{
    if (reader->failure == 0) {
        reader->failure = code;
        snprintf(reader->failure_text, sizeof(reader->failure_text), "%s", reason);
    }
    XML_StopParser(reader->parser, XML_FALSE);
}

/* True when the open elements are exactly `path` (names separated by '/'). */
static bool at(const struct xml_reader *reader, const char *path)
{
    int level = 0;
    for (const char *p = path; *p != '\0'; level++) {
        size_t length = strcspn(p, "/");
        if (level >= reader->depth || strlen(reader->names[level]) != length ||
            strncmp(reader->names[level], p, length) != 0)
            return false;
        p += length;
        if (*p == '/')
            p++;
    }
    return level == reader->depth;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attributes)
{
    (void)attributes;
    struct xml_reader *reader = data;
    if (reader->depth == 0 && strcmp(name, "valgrindoutput") != 0) {
        char reason[120];
        snprintf(reason, sizeof(reason), "not valgrind XML: the root element is <%.60s>", name);
        fail(reader, -EBADMSG, reason);
        return;
    }
    if (reader->depth == MAX_DEPTH) {
        fail(reader, -EBADMSG, "elements nested deeper than valgrind ever writes");
        return;
    }
    char *copy = strdup(name);
    if (copy == NULL) {
        fail(reader, -ENOMEM, "out of memory");
        return;
    }
    reader->names[reader->depth++] = copy;
    reader->text_length = 0;
    if (at(reader, "valgrindoutput/error")) {
        error_clear(&reader->error);
        reader->in_error = true;
    } else if (at(reader, "valgrindoutput/error/stack")) {
        reader->error.stacks_seen++;
    }
}

static void XMLCALL on_text(void *data, const XML_Char *text, int length)
{
    struct xml_reader *reader = data;
    if (reader->text_length + (size_t)length + 1 > reader->text_capacity) {
        size_t wanted = (reader->text_length + (size_t)length + 1) * 2;
        char *grown = realloc(reader->text, wanted);
        if (grown == NULL) {
            fail(reader, -ENOMEM, "out of memory");
            return;
        }
        reader->text = grown;
        reader->text_capacity = wanted;
    }
    memcpy(reader->text + reader->text_length, text, (size_t)length);
    reader->text_length += (size_t)length;
    reader->text[reader->text_length] = '\0';
}

/* Files the finished <error> under the process, when it is one we report. */
static int error_commit(struct xml_reader *reader)
{
    struct xml_error *error = &reader->error;
    if (reader->pid == 0)
        return -EBADMSG;
    struct valgrind_process *process = valgrind_output_process(reader->output, reader->pid);
    if (process == NULL || error->kind == NULL)
        return process == NULL ? -ENOMEM : 0;
    struct valgrind_stack *stack = NULL;
    const bool definite = strcmp(error->kind, "Leak_DefinitelyLost") == 0;
    if (definite || strcmp(error->kind, "Leak_IndirectlyLost") == 0) {
        struct valgrind_leak *leak = valgrind_process_add_leak(process);
        if (leak == NULL)
            return -ENOMEM;
        leak->loss = definite ? VALGRIND_DEFINITELY_LOST : VALGRIND_INDIRECTLY_LOST;
        leak->bytes = error->bytes;
        leak->blocks = error->blocks;
        stack = &leak->stack;
    } else if (strcmp(error->kind, "FdNotClosed") == 0 && error->has_fd) {
        struct valgrind_open_fd *open_fd = valgrind_process_add_open_fd(process);
        if (open_fd == NULL)
            return -ENOMEM;
        open_fd->fd = error->fd;
        open_fd->inherited = error->inherited;
        open_fd->target = error->path;
        error->path = NULL;
        stack = &open_fd->stack;
        process->fds_checked = true;
    } else if (strcmp(error->kind, "FdBadClose") == 0 && error->has_fd) {
        struct valgrind_bad_close *bad_close = valgrind_process_add_bad_close(process);
        if (bad_close == NULL)
            return -ENOMEM;
        bad_close->fd = error->fd;
        bad_close->already_closed = true;
        bad_close->target = error->path;
        error->path = NULL;
        stack = &bad_close->stack;
    }
    if (stack != NULL) {
        *stack = error->stack; /* the record takes the frames over */
        memset(&error->stack, 0, sizeof(error->stack));
    }
    return 0;
}

static int frame_commit(struct xml_error *error)
{
    char *file = error->frame.file;
    char *joined = NULL;
    /* The log prints dir/file with --fullpath-after=; give XML frames the same shape. */
    if (file != NULL && error->frame_dir != NULL &&
        asprintf(&joined, "%s/%s", error->frame_dir, file) < 0)
        return -ENOMEM;
    int result =
        valgrind_stack_add(&error->stack, error->frame.function, joined != NULL ? joined : file,
                           error->frame.line, error->frame.object);
    free(joined);
    frame_clear(error);
    return result;
}

static int end_in_error(struct xml_reader *reader, const char *text)
{
    struct xml_error *error = &reader->error;
    const bool first_stack = error->stacks_seen == 1;
    if (at(reader, "valgrindoutput/error/kind"))
        return valgrind_set_string(&error->kind, text);
    if (at(reader, "valgrindoutput/error/xwhat/leakedbytes"))
        error->bytes = strtoull(text, NULL, 10);
    else if (at(reader, "valgrindoutput/error/xwhat/leakedblocks"))
        error->blocks = strtoull(text, NULL, 10);
    else if (at(reader, "valgrindoutput/error/fd")) {
        error->fd = atoi(text);
        error->has_fd = true;
    } else if (at(reader, "valgrindoutput/error/path"))
        return valgrind_set_string(&error->path, text);
    else if (at(reader, "valgrindoutput/error/what") || at(reader, "valgrindoutput/error/auxwhat"))
        error->inherited |= strstr(text, "inherited from parent") != NULL;
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame/fn"))
        return valgrind_set_string(&error->frame.function, text);
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame/file"))
        return valgrind_set_string(&error->frame.file, text);
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame/dir"))
        return valgrind_set_string(&error->frame_dir, text);
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame/obj"))
        return valgrind_set_string(&error->frame.object, text);
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame/line"))
        error->frame.line = atoi(text);
    else if (first_stack && at(reader, "valgrindoutput/error/stack/frame"))
        return frame_commit(error);
    else if (at(reader, "valgrindoutput/error")) {
        reader->in_error = false;
        return error_commit(reader);
    }
    return 0;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
    (void)name;
    struct xml_reader *reader = data;
    const char *text = reader->text_length > 0 ? reader->text : "";
    int result = 0;
    if (reader->in_error)
        result = end_in_error(reader, text);
    else if (at(reader, "valgrindoutput/pid"))
        reader->pid = (pid_t)atol(text);
    else if (at(reader, "valgrindoutput/ppid"))
        reader->ppid = (pid_t)atol(text);
    else if (at(reader, "valgrindoutput/args/argv/exe"))
        result = valgrind_set_string(&reader->exe, text);
    else if (at(reader, "valgrindoutput/status/state"))
        reader->finished |= strcmp(text, "FINISHED") == 0;
    else if (at(reader, "valgrindoutput/fatal_signal/signo"))
        reader->fatal_signal = atoi(text);
    if (result == -EBADMSG)
        fail(reader, result, "an <error> comes before the <pid> it belongs to");
    else if (result < 0)
        fail(reader, result, "out of memory");
    free(reader->names[--reader->depth]);
    reader->text_length = 0;
}

/* valgrind 3.19 with --log-file and --xml-file writes the XML of a forked
 * child into its parent's file: a second declaration starts the child's
 * document in the middle. (With --log-fd, as the pass runs it, it does not.) */
static size_t count_documents(const char *text, size_t length)
{
    size_t count = 0;
    for (const char *p = text; (p = memmem(p, length - (size_t)(p - text), "<?xml", 5)) != NULL;
         p += 5)
        count++;
    return count;
}

/* Whatever the parse read about the process goes into `output`, even when the
 * file was cut off: the pid, program and how it ended are known early. */
static int reader_commit(struct xml_reader *reader)
{
    if (reader->pid == 0)
        return 0;
    struct valgrind_process *process = valgrind_output_process(reader->output, reader->pid);
    if (process == NULL)
        return -ENOMEM;
    process->started_program = true;
    process->ppid = reader->ppid;
    process->finished = reader->finished;
    process->fatal_signal = reader->fatal_signal;
    if (reader->exe != NULL) {
        free(process->program);
        process->program = reader->exe;
        reader->exe = NULL;
    }
    return 0;
}

int valgrind_xml_parse(const char *text, size_t length, struct valgrind_output *output, char *why,
                       size_t why_size)
{
    size_t documents = count_documents(text, length);
    if (documents > 1) {
        snprintf(why, why_size,
                 "%zu XML documents in one file: forked children wrote into their parent's "
                 "file, so their findings cannot be told apart",
                 documents);
        return -EBADMSG;
    }
    struct xml_reader reader = {.output = output};
    reader.parser = XML_ParserCreate(NULL);
    if (reader.parser == NULL) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    XML_SetUserData(reader.parser, &reader);
    XML_SetElementHandler(reader.parser, on_start, on_end);
    XML_SetCharacterDataHandler(reader.parser, on_text);

    int result = 0;
    /* XML_Parse takes an int length; valgrind output never comes near that. */
    if (length > (size_t)1 << 30) {
        snprintf(why, why_size, "valgrind XML larger than 1 GiB");
        result = -EFBIG;
    } else if (XML_Parse(reader.parser, text, (int)length, XML_TRUE) == XML_STATUS_ERROR) {
        result = reader.failure != 0 ? reader.failure : -EBADMSG;
        if (reader.failure != 0)
            snprintf(why, why_size, "line %lu: %s",
                     (unsigned long)XML_GetCurrentLineNumber(reader.parser), reader.failure_text);
        else
            snprintf(why, why_size, "line %lu: %s%s",
                     (unsigned long)XML_GetCurrentLineNumber(reader.parser),
                     XML_ErrorString(XML_GetErrorCode(reader.parser)),
                     reader.finished ? "" : " (the output stops before valgrind finished)");
    } else if (reader.pid == 0) {
        snprintf(why, why_size, "valgrind XML without a <pid>");
        result = -EBADMSG;
    }
    int committed = reader_commit(&reader);
    valgrind_output_name_targets(output);
    if (committed < 0 && result == 0) {
        snprintf(why, why_size, "out of memory");
        result = committed;
    }
    while (reader.depth > 0)
        free(reader.names[--reader.depth]);
    error_clear(&reader.error);
    free(reader.exe);
    free(reader.text);
    XML_ParserFree(reader.parser);
    return result;
}
