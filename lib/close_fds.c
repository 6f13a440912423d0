/* close_fds.c: in the child, mark every inherited descriptor from lowfd up as
 * close-on-exec, so the new program gets only what it was given on purpose.
 * Runs between clone and exec: raw syscalls, no allocation. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One getdents64 record; the kernel's layout (glibc's struct dirent64 has the
 * same fields but we keep the child free of libc's dirent code). */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* The fallback for kernels before 5.11 (no CLOSE_RANGE_CLOEXEC): list
 * /proc/self/fd into a stack buffer. Never a loop up to RLIMIT_NOFILE, which
 * costs a million syscalls when the limit is a million. */
FL_CHILD_CODE int fl__mark_cloexec_from_proc(int lowfd)
{
    int dir = (int)FL_RETRY(
        syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir < 0)
        return -errno;

    /* Setting a flag does not add or remove entries, so the listing stays
     * valid while we walk it. */
    _Alignas(8) char buf[2048];
    for (;;) {
        long n = FL_RETRY(syscall(SYS_getdents64, dir, buf, sizeof buf));
        if (n < 0) {
            int code = errno;
            syscall(SYS_close, dir);
            return -code;
        }
        if (n == 0)
            break;
        for (long offset = 0; offset < n;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(buf + offset);
            offset += entry->d_reclen;
            int fd = 0;
            bool numeric = entry->d_name[0] != '\0';
            for (const char *p = entry->d_name; *p; p++) {
                if (*p < '0' || *p > '9') {
                    numeric = false; /* "." and ".." */
                    break;
                }
                fd = fd * 10 + (*p - '0');
            }
            if (numeric && fd >= lowfd && fd != dir)
                syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
        }
    }
    syscall(SYS_close, dir);
    return 0;
}

FL_CHILD_CODE int fl__mark_cloexec_from(int lowfd)
{
    /* One syscall on Linux 5.11+. Marking instead of closing keeps the error
     * pipe open until the exec itself closes it. */
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return -errno;
    return fl__mark_cloexec_from_proc(lowfd);
}
