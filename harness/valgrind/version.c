/* Finds out which valgrind is installed by asking it, through the kit's own
 * process wrapper. */
#include "valgrind/version.h"

#include "forklab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int valgrind_version_parse(const char *text, struct valgrind_version *version)
{
    int consumed = 0;
    struct valgrind_version parsed = {0};
    if (sscanf(text, "valgrind-%d.%d.%d%n", &parsed.major, &parsed.minor, &parsed.patch,
               &consumed) != 3 ||
        consumed == 0 || parsed.major < 0 || parsed.minor < 0 || parsed.patch < 0)
        return -EINVAL;
    *version = parsed;
    return 0;
}

int valgrind_version_detect(struct valgrind_version *version, char *why, size_t why_size)
{
    struct fl_command *command = fl_command_new("valgrind");
    if (command == NULL || fl_command_arg(command, "--version") < 0 ||
        fl_command_stdio(command, FL_STDERR, FL_NULL) < 0 ||
        fl_command_output_limit(command, 4096) < 0) {
        fl_command_free(&command);
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    struct fl_output output = {0};
    int result = fl_command_output(command, &output);
    if (result == -ENOENT && fl_command_error(command)->step == FL_STEP_LOOKUP) {
        snprintf(why, why_size, "%s", VALGRIND_NOT_INSTALLED);
    } else if (result < 0) {
        snprintf(why, why_size, "cannot run valgrind --version: %s", fl_command_strerror(command));
    } else if (!fl_status_success(output.status) || output.out == NULL ||
               valgrind_version_parse(output.out, version) < 0) {
        snprintf(why, why_size, "valgrind --version answered \"%.40s\", not valgrind-X.Y.Z",
                 output.out != NULL ? output.out : "");
        result = -EPROTO;
    }
    fl_output_free(&output);
    fl_command_free(&command);
    return result;
}

bool valgrind_version_at_least(struct valgrind_version version, int major, int minor)
{
    return version.major > major || (version.major == major && version.minor >= minor);
}

bool valgrind_has_fd_errors_in_xml(struct valgrind_version version)
{
    return valgrind_version_at_least(version, 3, 24);
}
