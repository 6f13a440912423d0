/* A small shell: reads command lines from stdin until end of file and runs
 * `prog args`, `a | b | c`, `< file`, `> file` and `cmd &`, with the
 * builtins `wait` and `exit`, through the kit's wrapper: fl_pipeline_spawn
 * makes every pipe and file close-on-exec and closes the shell's copies,
 * reports a failed exec as an error, and every child handle is waited for.
 * Solution to pitfall 14: see lessons/14-shell.md. */
#include <forklab.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROMPT     "$ "
#define MAX_STAGES 16 /* commands in one pipeline */
#define MAX_ARGS   64 /* words in one command */

/* ---- the command line (done: no need to change it) -------------------------- */

/* One command of a pipeline: argv[0] is the program, NULL-terminated. */
struct stage {
    char *argv[MAX_ARGS + 1];
    size_t argc;
};

/* `a < in | b | c > out &`: the stages in order, where the first reads and
 * the last writes, and whether the shell waits for it. */
struct command_line {
    struct stage stages[MAX_STAGES];
    size_t stage_count; /* 0: an empty line */
    char *input;        /* `< file` for the first stage; NULL: the shell's stdin */
    char *output;       /* `> file` for the last stage; NULL: the shell's stdout */
    bool background;    /* `&`: do not wait for it */
};

static bool is_operator(char c)
{
    return c == '|' || c == '<' || c == '>' || c == '&';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits `line` into words and operators, in place: each word is
 * NUL-terminated where it stood. No quotes: a word is anything between
 * spaces and the operators | < > &. Returns 0, or -1 after printing why
 * on stderr. */
static int parse_line(char *line, struct command_line *command)
{
    memset(command, 0, sizeof(*command));
    char pending = '\0'; /* '<' or '>' waiting for its file name */
    bool stage_open = false;
    char *at = line;
    for (;;) {
        while (is_space(*at))
            at++;
        if (*at == '\0')
            break;
        if (command->background) {
            fprintf(stderr, "syntax error: & must end the line\n");
            return -1;
        }
        char op = is_operator(*at) ? *at : '\0';
        char *word = at;
        if (op != '\0') {
            *at++ = '\0';
        } else {
            while (*at != '\0' && !is_space(*at) && !is_operator(*at))
                at++;
            op = *at; /* the character that ended the word, kept before it is cut */
            *at = '\0';
            if (op != '\0')
                at++;
            if (pending == '<') {
                command->input = word;
            } else if (pending == '>') {
                command->output = word;
            } else {
                if (!stage_open) {
                    if (command->stage_count == MAX_STAGES) {
                        fprintf(stderr, "syntax error: more than %d commands\n", MAX_STAGES);
                        return -1;
                    }
                    command->stage_count++;
                    stage_open = true;
                }
                struct stage *stage = &command->stages[command->stage_count - 1];
                if (stage->argc == MAX_ARGS) {
                    fprintf(stderr, "syntax error: more than %d words\n", MAX_ARGS);
                    return -1;
                }
                stage->argv[stage->argc++] = word;
            }
            pending = '\0';
            if (!is_operator(op))
                continue;
        }
        /* An operator: what came before it must be complete. */
        if (pending != '\0') {
            fprintf(stderr, "syntax error: %c needs a file name\n", pending);
            return -1;
        }
        if (op == '|') {
            if (!stage_open || command->output != NULL) {
                fprintf(stderr, "syntax error: | needs a command on each side\n");
                return -1;
            }
            stage_open = false;
        } else if (op == '<') {
            if (command->input != NULL) {
                fprintf(stderr, "syntax error: only one < per line\n");
                return -1;
            }
            if (command->stage_count > 1) {
                fprintf(stderr, "syntax error: only the first command may read a file (<)\n");
                return -1;
            }
            pending = op;
        } else if (op == '>') {
            if (command->output != NULL) {
                fprintf(stderr, "syntax error: only one > per line\n");
                return -1;
            }
            pending = op;
        } else {
            command->background = true;
        }
    }
    if (pending != '\0') {
        fprintf(stderr, "syntax error: %c needs a file name\n", pending);
        return -1;
    }
    if (command->stage_count > 0 && !stage_open) {
        fprintf(stderr, "syntax error: | needs a command on each side\n");
        return -1;
    }
    if (command->stage_count == 0 && (command->input || command->output || command->background)) {
        fprintf(stderr, "syntax error: no command\n");
        return -1;
    }
    return 0;
}

/* Whether the line runs the builtin `name` (its arguments are ignored). */
static bool is_builtin(const struct command_line *command, const char *name)
{
    return command->stage_count == 1 && strcmp(command->stages[0].argv[0], name) == 0;
}

/* ---- running the commands ------------------------------------------------------ */

#define MAX_JOBS 64 /* command lines running in the background at once */

/* A command line started with &: a handle for each of its stages. */
struct job {
    struct fl_child *stages[MAX_STAGES];
    size_t count;
};

static struct job jobs[MAX_JOBS];
static size_t job_count;

/* Waits for every stage of a job and releases it. */
static void wait_for_job(struct job *job)
{
    for (size_t i = 0; i < job->count; i++) {
        struct fl_status status;
        fl_child_wait(job->stages[i], &status);
        fl_child_free(&job->stages[i]);
    }
    job->count = 0;
}

/* Whether every stage of a job has ended; reaps the ones that have. */
static bool job_ended(struct job *job)
{
    bool ended = true;
    for (size_t i = 0; i < job->count; i++) {
        struct fl_status status;
        ended &= fl_child_try_wait(job->stages[i], &status) == 0;
    }
    return ended;
}

/* Releases the background jobs that have ended, without waiting for the
 * others. */
static void reap_ended_background(void)
{
    size_t kept = 0;
    for (size_t i = 0; i < job_count; i++) {
        if (job_ended(&jobs[i]))
            wait_for_job(&jobs[i]);
        else
            jobs[kept++] = jobs[i];
    }
    job_count = kept;
}

/* The builtin `wait`: waits until every command started with & has ended. */
static void wait_for_background(void)
{
    for (size_t i = 0; i < job_count; i++)
        wait_for_job(&jobs[i]);
    job_count = 0;
}

/* Runs one command line as a pipeline of its stages; waits for every stage
 * unless it ends in &. */
static void run_command_line(const struct command_line *command)
{
    size_t count = command->stage_count;
    if (command->background && job_count == MAX_JOBS) {
        fprintf(stderr, "too many commands in the background: wait for them first\n");
        return;
    }
    struct fl_command *stages[MAX_STAGES] = {NULL};
    bool built = true;
    for (size_t i = 0; i < count; i++) {
        stages[i] = fl_command_new(command->stages[i].argv[0]);
        built = built && stages[i] != NULL &&
                fl_command_args(stages[i], (const char *const *)command->stages[i].argv + 1) == 0;
    }
    if (built && command->input != NULL)
        built = fl_command_stdio_path(stages[0], FL_STDIN, command->input, O_RDONLY, 0) == 0;
    if (built && command->output != NULL)
        built = fl_command_stdio_path(stages[count - 1], FL_STDOUT, command->output,
                                      O_WRONLY | O_CREAT | O_TRUNC, 0644) == 0;
    struct job job = {.count = count};
    struct fl_error failure;
    if (!built) {
        perror("cannot build the command");
    } else if (fl_pipeline_spawn(stages, count, job.stages, &failure) < 0) {
        /* failure says which stage failed (from 1); that stage's command says
         * why, with the file or directory involved. */
        fprintf(stderr, "%s\n", fl_command_strerror(stages[failure.stage - 1]));
    } else if (command->background) {
        jobs[job_count++] = job;
    } else {
        wait_for_job(&job);
    }
    for (size_t i = 0; i < count; i++)
        fl_command_free(&stages[i]);
}

int main(void)
{
    /* A prompt is for a person at a terminal, not for a script. */
    bool interactive = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t size = 0;
    for (;;) {
        reap_ended_background();
        if (interactive) {
            fputs(PROMPT, stdout);
            fflush(stdout);
        }
        if (getline(&line, &size, stdin) < 0)
            break;
        struct command_line command;
        if (parse_line(line, &command) < 0 || command.stage_count == 0)
            continue;
        if (is_builtin(&command, "exit"))
            break;
        if (is_builtin(&command, "wait"))
            wait_for_background();
        else
            run_command_line(&command);
    }
    free(line);
    wait_for_background(); /* no command outlives the shell as an orphan */
    return 0;
}
