/* A grade as one JSON object: what scripts read, and what `grade-all` passes
 * from each student's grading process to the gradebook. */

/* The schema (version 1):
 *
 *   "forklab_grade": 1                   schema version
 *   "exercise": "03-zombies", "title": "Zombies: ..."
 *   "submission": "exercises/03-zombies.c"     as given
 *   "status": "graded" | "no_source" | "compile_failed" | "incomplete"
 *   "explanation": "one line on the whole grade"
 *   "score": 7, "max_score": 8, "passed": bool (score == max_score)
 *   "duration_ms": 412                   compile and run
 *   "compile": null (nothing to compile) or
 *              {"argv": [...], "ok": bool, "output": "the compiler's messages"}
 *   "checks": [{"id", "test": "no_finding"|"no_findings"|"stdout"|"exit"|
 *                             "no_copying_spawn"|"files"|"children",
 *               "session" (a session's check only),
 *               "kind" and "instance" (no_finding only; "instance": null for
 *               the whole kind), "title", "score", "max_score",
 *               "passed": bool, "detail": "why, for the student"}]
 *   "report": null (not run, or a shell exercise's sessions ran instead) or
 *             the `forklab check` JSON report of the run (see render/json.c)
 *   "sessions" (a shell exercise only): [{"name", "about", "report"}], one
 *             per session that ran, each with its own report
 *
 * Every string that holds bytes from the submission is made valid UTF-8. */
#include "grade/render/grade_render.h"
#include "grade/sessions.h"
#include "core/write/json_document.h"
#include "render/render.h"

#include <string.h>

static json_t *check_to_json(const struct grade_result *result,
                             const struct grade_check_result *scored)
{
    const struct manifest_check *check = scored->check;
    char title[GRADE_CHECK_NAME_SIZE];
    grade_check_title(check, result->exercise, title, sizeof(title));
    json_t *object =
        json_pack("{s:s, s:s, s:s, s:i, s:i, s:b, s:o}", "id", check->id, "test",
                  manifest_test_name(check->test), "title", title, "score", scored->score,
                  "max_score", check->points, "passed", scored->score == check->points, "detail",
                  json_string_repaired(scored->detail, strlen(scored->detail)));
    if (object != NULL && check->test == MANIFEST_TEST_NO_FINDING &&
        (json_object_set_new(object, "kind", json_string(finding_kind_name(check->kind))) < 0 ||
         json_object_set_new(object, "instance",
                             check->instance != NULL ? json_string(check->instance->name)
                                                     : json_null()) < 0)) {
        json_decref(object);
        return NULL;
    }
    if (object != NULL && check->session != NULL &&
        json_object_set_new(object, "session", json_string(check->session->name)) < 0) {
        json_decref(object);
        return NULL;
    }
    return object;
}

static json_t *compile_to_json(const struct grade_compile *compile)
{
    if (compile->argv == NULL)
        return json_null();
    json_t *argv = json_array();
    for (size_t i = 0; argv != NULL && compile->argv[i] != NULL; i++)
        if (json_array_append_new(
                argv, json_string_repaired(compile->argv[i], strlen(compile->argv[i]))) < 0) {
            json_decref(argv);
            return NULL;
        }
    return json_pack("{s:o, s:b, s:o}", "argv", argv, "ok", compile->ok, "output",
                     json_string_repaired(compile->output, compile->output_length));
}

static json_t *sessions_to_json(const struct grade_result *result)
{
    json_t *sessions = json_array();
    for (size_t i = 0; sessions != NULL && i < result->session_count; i++) {
        const struct grade_session_run *run = &result->sessions[i];
        if (json_array_append_new(sessions, json_pack("{s:s, s:s, s:o}", "name", run->session->name,
                                                      "about", run->session->about, "report",
                                                      report_to_json(&run->report))) < 0) {
            json_decref(sessions);
            return NULL;
        }
    }
    return sessions;
}

json_t *grade_result_to_json(const struct grade_result *result)
{
    json_t *checks = json_array();
    for (size_t i = 0; checks != NULL && i < result->check_count; i++)
        if (json_array_append_new(checks, check_to_json(result, &result->checks[i])) < 0) {
            json_decref(checks);
            return NULL;
        }
    bool sessions = result->session_count > 0;
    json_t *report = result->ran && !sessions ? report_to_json(&result->report) : json_null();
    const char *explanation = result->explanation != NULL ? result->explanation : "";
    json_t *root = json_pack(
        "{s:i, s:s, s:s, s:o, s:s, s:o, s:i, s:i, s:b, s:I, s:o, s:o, s:o}", "forklab_grade", 1,
        "exercise", result->exercise->name, "title", result->exercise->title, "submission",
        json_string_repaired(result->submission, strlen(result->submission)), "status",
        grade_status_name(result->status), "explanation",
        json_string_repaired(explanation, strlen(explanation)), "score", result->score, "max_score",
        result->max_score, "passed", result->score == result->max_score, "duration_ms",
        (json_int_t)result->duration_ms, "compile", compile_to_json(&result->compile), "checks",
        checks, "report", report);
    if (root != NULL && sessions &&
        json_object_set_new(root, "sessions", sessions_to_json(result)) < 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int grade_render_json(const struct grade_result *result, FILE *out)
{
    return json_document_write(grade_result_to_json(result), out);
}
