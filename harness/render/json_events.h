/* The JSON of a process's timeline, descriptor tables and timeout wait
 * (part of the report schema at the top of render/json.c). */
#ifndef FORKLAB_JSON_EVENTS_H
#define FORKLAB_JSON_EVENTS_H

#include "core/report.h"

#include <jansson.h>

/* The "events" array of a process; NULL when out of memory. */
json_t *process_events_to_json(const struct process_record *process);
/* Its "waiting" object, or JSON null when it was not blocked at a timeout. */
json_t *process_wait_to_json(const struct process_wait *wait);

#endif
