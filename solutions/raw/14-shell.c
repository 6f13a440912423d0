/* A small shell: reads command lines from stdin until end of file and runs
 * `prog args`, `a | b | c`, `< file`, `> file` and `cmd &`, with the
 * builtins `wait` and `exit`, by hand: fork, pipe2, dup2, execvp, waitpid.
 * Every pipe end and file is close-on-exec, so a program gets only 0, 1 and
 * 2; the shell closes its own copies as soon as the stage using them
 * exists, waits for every stage, and a child whose exec failed ends at once.
 * Solution to pitfall 14 without the wrapper: see lessons/14-shell.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* In the child of stage `i`: puts `input` and `output` (or the line's files)
 * on 0 and 1, then runs the program. Never returns: whatever fails, the
 * child ends here, so it can never go on as a second shell. */
static void run_stage(const struct command_line *command, size_t i, int input, int output)
{
    if (i == 0 && command->input != NULL) {
        input = open(command->input, O_RDONLY | O_CLOEXEC);
        if (input < 0) {
            perror(command->input);
            _exit(1);
        }
    }
    if (i + 1 == command->stage_count && command->output != NULL) {
        output = open(command->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (output < 0) {
            perror(command->output);
            _exit(1);
        }
    }
    /* dup2 clears close-on-exec on the copy only: the program keeps 0 and 1,
     * and the originals, like every other descriptor of the shell, close at
     * the exec. */
    if ((input != STDIN_FILENO && dup2(input, STDIN_FILENO) < 0) ||
        (output != STDOUT_FILENO && dup2(output, STDOUT_FILENO) < 0)) {
        perror("dup2");
        _exit(1);
    }
    char *const *argv = command->stages[i].argv;
    execvp(argv[0], argv);
    fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
    _exit(127); /* not exit(): the shell's stdio buffers are not this child's to flush */
}

static void wait_for(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        continue;
}

/* Runs one command line: each stage in a child of its own, its output piped
 * into the next stage's input; waits for every stage unless it ends in &. */
static void run_command_line(const struct command_line *command)
{
    pid_t pids[MAX_STAGES];
    size_t started = 0;
    int input = STDIN_FILENO; /* what the next stage reads */
    for (size_t i = 0; i < command->stage_count; i++) {
        int pipefd[2] = {-1, STDOUT_FILENO};
        bool final = i + 1 == command->stage_count;
        if (!final && pipe2(pipefd, O_CLOEXEC) < 0) {
            perror("pipe");
            break;
        }
        pid_t pid = fork();
        if (pid == 0)
            run_stage(command, i, input, pipefd[1]);
        if (pid < 0)
            perror("fork");
        else
            pids[started++] = pid;
        /* The stage has its own copies now. The shell keeps only the read
         * end the next stage needs: a write end left open here would keep
         * that stage from ever seeing end of file. */
        if (input != STDIN_FILENO)
            close(input);
        if (!final)
            close(pipefd[1]);
        input = pipefd[0];
        if (pid < 0)
            break;
    }
    if (input >= 0 && input != STDIN_FILENO)
        close(input);
    if (command->background)
        return; /* reaped later: by `wait`, or before the next line once it has ended */
    for (size_t i = 0; i < started; i++)
        wait_for(pids[i]);
}

/* Reaps the background commands that have ended, without waiting for the
 * others: an ended child is a zombie until someone does. Every foreground
 * stage has been waited for, so only background ones can be found here. */
static void reap_ended_background(void)
{
    while (waitpid(-1, NULL, WNOHANG) > 0)
        continue;
}

/* The builtin `wait`: waits until every command started with & has ended. */
static void wait_for_background(void)
{
    while (wait(NULL) > 0 || errno == EINTR)
        continue;
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
