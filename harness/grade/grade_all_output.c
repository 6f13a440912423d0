/* The gradebook of a batch: gradebook.csv (RFC 4180: a field with a comma,
 * a quote or a line break is quoted, quotes doubled; a field that would be a
 * formula is made text) with one column per check, and one STUDENT.json per
 * graded student, each written whole. */
#include "grade/grade_all.h"

#include "core/write/file_replace.h"
#include "grade/render/grade_render.h"

#include "core/write/json_document.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A cell a spreadsheet would run as a formula begins with one of these (a
 * tab or a carriage return can hide the sign that follows). */
#define FORMULA_STARTS "=+-@\t\r"

/* One field. A spreadsheet tool opening the gradebook must show a student
 * named "=HYPERLINK(...)" as that text, never run it: as OWASP recommends
 * against CSV injection, a field that begins like a formula is quoted and
 * starts with a single quote, which spreadsheets take as "text follows". */
static void put_csv_field(FILE *out, const char *text)
{
    bool formula = text[0] != '\0' && strchr(FORMULA_STARTS, text[0]) != NULL;
    if (!formula && strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    fputs(formula ? "\"'" : "\"", out);
    for (; *text != '\0'; text++) {
        if (*text == '"')
            fputc('"', out);
        fputc(*text, out);
    }
    fputc('"', out);
}

/* The points a graded student earned on check `id`, or -1. */
static long check_score(json_t *grade, const char *id)
{
    size_t index;
    json_t *check;
    json_array_foreach(json_object_get(grade, "checks"), index, check)
    {
        const char *check_id = json_string_value(json_object_get(check, "id"));
        if (check_id != NULL && strcmp(check_id, id) == 0)
            return (long)json_integer_value(json_object_get(check, "score"));
    }
    return -1;
}

struct gradebook {
    const struct grade_all_options *options;
    const struct grade_all_result *result;
};

static bool check_included(const struct grade_all_options *options, const char *id)
{
    return options->grade.only_check == NULL || strcmp(options->grade.only_check, id) == 0;
}

static int write_csv(FILE *out, const void *context)
{
    const struct gradebook *book = context;
    const struct manifest_pitfall *exercise = book->options->grade.exercise;
    fputs("student,status,score,max_score", out);
    for (size_t c = 0; c < exercise->check_count; c++)
        if (check_included(book->options, exercise->checks[c].id)) {
            fputc(',', out);
            put_csv_field(out, exercise->checks[c].id);
        }
    fputs(",explanation\r\n", out);

    int max_score = grade_max_score(exercise, book->options->grade.only_check);
    for (size_t i = 0; i < book->result->count; i++) {
        const struct grade_all_student *student = &book->result->students[i];
        json_t *grade = student->grade;
        put_csv_field(out, student->name);
        if (grade == NULL) {
            fprintf(out, ",error,0,%d", max_score);
        } else {
            fputc(',', out);
            put_csv_field(out, json_string_value(json_object_get(grade, "status")));
            fprintf(out, ",%ld,%ld", (long)json_integer_value(json_object_get(grade, "score")),
                    (long)json_integer_value(json_object_get(grade, "max_score")));
        }
        for (size_t c = 0; c < exercise->check_count; c++) {
            if (!check_included(book->options, exercise->checks[c].id))
                continue;
            long score = grade != NULL ? check_score(grade, exercise->checks[c].id) : -1;
            fprintf(out, ",%ld", score >= 0 ? score : 0L);
        }
        fputc(',', out);
        const char *explanation =
            grade != NULL ? json_string_value(json_object_get(grade, "explanation")) : NULL;
        put_csv_field(out, grade == NULL ? student->error : explanation != NULL ? explanation : "");
        fputs("\r\n", out);
    }
    return ferror(out) ? -EIO : 0;
}

static int write_student(FILE *out, const void *grade)
{
    if (json_dumpf(grade, out, JSON_INDENT(2)) != 0 || fputc('\n', out) == EOF)
        return -EIO;
    return 0;
}

int grade_all_prepare_out(const char *folder, char *why, size_t why_size)
{
    /* 0755 whatever the umask: the programs graded run as another user,
     * who must not be able to put files here. */
    if (mkdir(folder, 0755) == 0)
        return 0;
    int error = -errno;
    struct stat status;
    if (error == -EEXIST && stat(folder, &status) == 0 && !S_ISDIR(status.st_mode)) {
        snprintf(why, why_size, "--out %s: it exists and is not a folder", folder);
        return -ENOTDIR;
    }
    if (error == -EEXIST)
        error = access(folder, W_OK | X_OK) == 0 ? 0 : -errno;
    if (error == -ENOENT)
        snprintf(why, why_size, "--out %s: cannot create it: its parent folder does not exist",
                 folder);
    else if (error < 0)
        snprintf(why, why_size, "--out %s: %s", folder, strerror(-error));
    return error;
}

int grade_all_write(const struct grade_all_options *options, const struct grade_all_result *result,
                    const char *folder, char *why, size_t why_size)
{
    char path[PATH_MAX];
    for (size_t i = 0; i < result->count; i++) {
        const struct grade_all_student *student = &result->students[i];
        if (student->grade == NULL)
            continue;
        /* The student's name goes in too: the file may travel alone. */
        if (json_object_set_new(student->grade, "student",
                                json_string_repaired(student->name, strlen(student->name))) < 0) {
            snprintf(why, why_size, "out of memory");
            return -ENOMEM;
        }
        if (snprintf(path, sizeof(path), "%s/%s.json", folder, student->name) >=
            (int)sizeof(path)) {
            snprintf(why, why_size, "%s/%s.json: the path is too long", folder, student->name);
            return -ENAMETOOLONG;
        }
        int error = file_replace(path, write_student, student->grade, why, why_size);
        if (error < 0)
            return error;
    }
    snprintf(path, sizeof(path), "%s/%s", folder, GRADEBOOK_FILE);
    struct gradebook book = {options, result};
    return file_replace(path, write_csv, &book, why, why_size);
}
