/* A student's answer to a drill: read from what they typed, compared with
 * the drill's, and written back the way they would type it. Letters name
 * candidates (A is the first), in any case, with spaces or commas between. */
#include "study/drill.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refuse(char *why, size_t why_size, const char *text, const char *wanted)
{
    snprintf(why, why_size, "answer '%s': %s", text, wanted);
    return -EINVAL;
}

static bool is_separator(char c)
{
    return isspace((unsigned char)c) || c == ',';
}

/* The words of `text`, each handed to `take`; -EINVAL when one is refused. */
static int each_word(const char *text, int (*take)(const char *word, size_t length, void *context),
                     void *context)
{
    for (const char *at = text; *at != '\0';) {
        while (is_separator(*at))
            at++;
        const char *end = at;
        while (*end != '\0' && !is_separator(*end))
            end++;
        if (end > at && take(at, (size_t)(end - at), context) < 0)
            return -EINVAL;
        at = end;
    }
    return 0;
}

struct letters {
    size_t candidates;
    unsigned set;
    size_t count;
};

static int take_letter(const char *word, size_t length, void *context)
{
    struct letters *letters = context;
    int index = toupper((unsigned char)word[0]) - 'A';
    if (length != 1 || index < 0 || (size_t)index >= letters->candidates)
        return -EINVAL;
    letters->set |= 1u << index;
    letters->count++;
    return 0;
}

static int take_descriptor(const char *word, size_t length, void *context)
{
    uint32_t *fds = context;
    if (length == 4 && strncasecmp(word, "none", 4) == 0)
        return 0;
    char number[16];
    if (length >= sizeof(number))
        return -EINVAL;
    memcpy(number, word, length);
    number[length] = '\0';
    char *end;
    long fd = strtol(number, &end, 10);
    if (*end != '\0' || fd < 3 || fd > DRILL_MAX_FD)
        return -EINVAL;
    *fds |= (uint32_t)1 << fd;
    return 0;
}

int drill_answer_parse(const struct drill *drill, const char *text, struct drill_answer *answer,
                       char *why, size_t why_size)
{
    memset(answer, 0, sizeof(*answer));
    char last = (char)('A' + (int)drill->candidate_count - 1);
    char wanted[160];
    switch (drill->kind) {
    case DRILL_LINES: {
        char *end;
        while (isspace((unsigned char)*text))
            text++;
        long lines = strtol(text, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (end == text || *end != '\0' || lines < 0 || lines > 100000)
            return refuse(why, why_size, text, "give the number of lines, such as 7");
        answer->lines = lines;
        return 0;
    }
    case DRILL_TREE:
    case DRILL_ORDERS: {
        struct letters letters = {.candidates = drill->candidate_count};
        bool one = drill->kind == DRILL_TREE;
        if (each_word(text, take_letter, &letters) < 0 || letters.count == 0 ||
            (one && letters.count != 1)) {
            snprintf(wanted, sizeof(wanted),
                     one ? "give one letter, from A to %c"
                         : "give the letters (A to %c) of every output it can print, such as A C",
                     last);
            return refuse(why, why_size, text, wanted);
        }
        answer->letters = letters.set;
        return 0;
    }
    case DRILL_FDS:
        if (each_word(text, take_descriptor, &answer->fds) < 0 ||
            strspn(text, " \t\n,") == strlen(text)) {
            snprintf(wanted, sizeof(wanted),
                     "give the descriptor numbers (3 to %d), such as 3 5, or none", DRILL_MAX_FD);
            return refuse(why, why_size, text, wanted);
        }
        return 0;
    case DRILL_KIND_COUNT:
        break;
    }
    return refuse(why, why_size, text, "this drill has no known kind");
}

void drill_answer_of(const struct drill *drill, struct drill_answer *answer)
{
    *answer =
        (struct drill_answer){.lines = drill->lines, .letters = drill->right, .fds = drill->fds};
}

bool drill_answer_is_right(const struct drill *drill, const struct drill_answer *answer)
{
    switch (drill->kind) {
    case DRILL_LINES:
        return answer->lines == drill->lines;
    case DRILL_TREE:
    case DRILL_ORDERS:
        return answer->letters == drill->right;
    case DRILL_FDS:
        return answer->fds == drill->fds;
    case DRILL_KIND_COUNT:
        break;
    }
    return false;
}

void drill_answer_text(const struct drill *drill, const struct drill_answer *answer, char *text,
                       size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    if (drill->kind == DRILL_LINES) {
        snprintf(text, size, "%ld", answer->lines);
    } else if (drill->kind == DRILL_FDS) {
        for (int fd = 3; fd <= DRILL_MAX_FD && used < size; fd++)
            if (answer->fds & ((uint32_t)1 << fd))
                used += (size_t)snprintf(text + used, size - used, "%s%d", used ? " " : "", fd);
        if (used == 0)
            snprintf(text, size, "none");
    } else {
        for (size_t i = 0; i < drill->candidate_count && used < size; i++)
            if (answer->letters & (1u << i))
                used += (size_t)snprintf(text + used, size - used, "%s%c", used ? " " : "",
                                         (char)('A' + i));
    }
}
