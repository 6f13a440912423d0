/* Containment shared by every run of a target (the traced run and the
 * valgrind run): orphans come back to us, and nothing the target started
 * outlives the check. */
#ifndef FORKLAB_SANDBOX_H
#define FORKLAB_SANDBOX_H

/* Makes the calling process a child subreaper (PR_SET_CHILD_SUBREAPER), so
 * every orphaned descendant is reparented to it and stays findable. */
int sandbox_become_subreaper(void);

/* Closes every descriptor >= 3 the harness itself inherited (a CI runner's or
 * a terminal's), so none can show up in a target as a leak. */
int sandbox_close_inherited_fds(void);

/* SIGKILLs every living descendant of the calling process and reaps them,
 * again and again until none is left (a fork racing the kill is caught on
 * the next pass). Returns the number of processes killed, or a negative errno. */
int sandbox_kill_descendants(void);

#endif
