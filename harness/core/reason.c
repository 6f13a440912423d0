/* reason_set: see core/reason.h. */
#include "core/reason.h"

#include <stdarg.h>
#include <stdio.h>

int reason_set(char *why, size_t why_size, int error, const char *format, ...)
{
    if (why != NULL && why_size > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(why, why_size, format, args);
        va_end(args);
    }
    return error;
}
