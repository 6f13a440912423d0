/* The BPF program that decides, for each system call of the target, whether
 * the tracer must see it. Everything not listed runs at full speed.
 *
 * Why each call is here:
 *   close            bad_close is decided at the entry stop: is the fd open?
 *   execve/execveat  runaway_child needs every exec attempt and its result.
 *   wait4/waitid     the timeline needs the moment a parent reaps a child
 *                    (the end of its time as a zombie), read at the exit.
 *   clone            refused with EPERM with CLONE_UNTRACED: its child would
 *                    run unseen by the tracer, past every limit it counts.
 *   clone3           ENOSYS: its flags are in memory, which a filter cannot
 *                    read; libc then falls back to clone, whose it can.
 *   kill, rt_sigqueueinfo
 *                    refused with EPERM when aimed at pid -1 (every process
 *                    we may signal: as root, the whole machine, or the whole
 *                    box), and outside a box at the harness or its group.
 *                    kill(0, ...) still reaches the target's own group.
 *   tkill, tgkill, rt_tgsigqueueinfo, pidfd_open, ptrace, process_vm_readv,
 *   process_vm_writev
 *                    refused with EPERM when aimed at the harness or its
 *                    tracing thread (outside a box), at the box's init (in
 *                    one; signals to it the kernel drops by itself). Every
 *                    other process of the target is traced by us already,
 *                    so the kernel refuses a ptrace attach to it.
 * Outside a box a target that signals through a pidfd obtained another way
 * (opening /proc/PID) or through F_SETOWN is not covered: the filter cannot
 * see which process a descriptor names. In a box such a process is simply
 * not there. */
#include "trace/sandbox/seccomp_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#else
/* An architecture this file does not know: no call matches, so every call
 * of the target is refused (ENOSYS) and its exec fails, visibly, instead of
 * the filter judging calls by numbers it does not know. */
#define NATIVE_AUDIT_ARCH 0U
#endif

/* x32 system calls share the x86_64 arch value but have this bit set. */
#define X32_SYSCALL_BIT 0x40000000U

/* The low 32 bits of argument `n`: pids are ints, and the kernel ignores the
 * upper half, so a filter that compared all 64 bits could be fooled. */
#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(uint64_t))

#define LOAD(offset)  ((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (offset)))
#define RETURN(value) ((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (value)))
/* if (accumulator == value) skip `yes` instructions, else skip `no` */
#define JUMP_IF_EQUAL(value, yes, no)                                                              \
    ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (value), (yes), (no)))

static void emit(struct seccomp_filter *filter, struct sock_filter instruction)
{
    filter->code[filter->length++] = instruction;
}

/* Each check below is "if nr == call: run the block right after me, else
 * jump over it". Every block ends in a RETURN, and the accumulator still
 * holds nr whenever a block is skipped, so the checks simply follow each
 * other. */
static void emit_trace_call(struct seccomp_filter *filter, int call)
{
    emit(filter, JUMP_IF_EQUAL((uint32_t)call, 0, 1));
    emit(filter, RETURN(SECCOMP_RET_TRACE));
}

static void emit_answer_call(struct seccomp_filter *filter, int call, int error)
{
    emit(filter, JUMP_IF_EQUAL((uint32_t)call, 0, 1));
    emit(filter, RETURN(SECCOMP_RET_ERRNO | (uint32_t)error));
}

/* Refuses `call` with EPERM when any of `flags` is set in argument `arg`. */
static void emit_refuse_flags(struct seccomp_filter *filter, int call, int arg, uint32_t flags)
{
    emit(filter, JUMP_IF_EQUAL((uint32_t)call, 0, 4)); /* else over the four below */
    emit(filter, LOAD(ARG_LOW(arg)));
    emit(filter, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, flags, 1, 0));
    emit(filter, RETURN(SECCOMP_RET_ALLOW));
    emit(filter, RETURN(SECCOMP_RET_ERRNO | EPERM));
}

/* Refuses `call` with EPERM when the low 32 bits of argument `arg` equal one
 * of `values`, and allows it otherwise. */
static void emit_refuse_call(struct seccomp_filter *filter, int call, int arg,
                             const uint32_t *values, int count)
{
    int block = 1 + count + 2; /* load, one test per value, allow, refuse */
    emit(filter, JUMP_IF_EQUAL((uint32_t)call, 0, (unsigned char)block));
    emit(filter, LOAD(ARG_LOW(arg)));
    for (int i = 0; i < count; i++) /* a match jumps over the tests left and the allow */
        emit(filter, JUMP_IF_EQUAL(values[i], (unsigned char)(count - i), 0));
    emit(filter, RETURN(SECCOMP_RET_ALLOW));
    emit(filter, RETURN(SECCOMP_RET_ERRNO | EPERM));
}

void seccomp_filter_build(struct seccomp_filter *filter, const struct seccomp_protected *protect)
{
    filter->length = 0;
    const uint32_t everyone = (uint32_t)-1;
    const uint32_t harness = (uint32_t)protect->harness_pid;
    const uint32_t tracer = (uint32_t)protect->harness_tid;
    /* getpgrp() says 0 when our group lies outside our PID namespace; -0
     * would refuse kill(0, ...), the target's own group: repeat -1 instead. */
    const uint32_t harness_group =
        protect->harness_pgrp > 0 ? (uint32_t)-protect->harness_pgrp : everyone;
    /* kill(pid, ...) and rt_sigqueueinfo(pid, ...) name a process or group;
     * the others name one process or thread. In a box the harness's pids
     * name other processes (or none): only -1, and the init, count there. */
    const uint32_t process_targets[] = {everyone, harness, tracer, harness_group};
    const uint32_t task_targets[] = {harness, tracer};
    const uint32_t box_init[] = {1};
    int process_count = protect->in_box ? 1 : 4;
    const uint32_t *tasks = protect->in_box ? box_init : task_targets;
    int task_count = protect->in_box ? 1 : 2;

    /* Another ABI (i386 via int 0x80, x32) numbers its calls differently,
     * so this filter cannot judge them: refuse them all. */
    emit(filter, LOAD(offsetof(struct seccomp_data, arch)));
    emit(filter, JUMP_IF_EQUAL(NATIVE_AUDIT_ARCH, 1, 0));
    emit(filter, RETURN(SECCOMP_RET_ERRNO | ENOSYS));
    emit(filter, LOAD(offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
    emit(filter, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1));
    emit(filter, RETURN(SECCOMP_RET_ERRNO | ENOSYS));
#endif

    emit_trace_call(filter, SYS_close);
    emit_trace_call(filter, SYS_execve);
    emit_trace_call(filter, SYS_execveat);
    emit_trace_call(filter, SYS_wait4);
    emit_trace_call(filter, SYS_waitid);
    emit_refuse_flags(filter, SYS_clone, 0, CLONE_UNTRACED); /* clone(flags, ...) */
    emit_answer_call(filter, SYS_clone3, ENOSYS);
    emit_refuse_call(filter, SYS_kill, 0, process_targets, process_count);
    emit_refuse_call(filter, SYS_rt_sigqueueinfo, 0, process_targets, process_count);
    if (!protect->in_box) {
        emit_refuse_call(filter, SYS_tkill, 0, task_targets, 2);
        emit_refuse_call(filter, SYS_tgkill, 0, task_targets, 2);
        emit_refuse_call(filter, SYS_rt_tgsigqueueinfo, 0, task_targets, 2);
    } else {
        emit_refuse_call(filter, SYS_process_vm_readv, 0, box_init, 1);
        emit_refuse_call(filter, SYS_process_vm_writev, 0, box_init, 1);
    }
    emit_refuse_call(filter, SYS_pidfd_open, 0, tasks, task_count);
    emit_refuse_call(filter, SYS_ptrace, 1, tasks, task_count); /* ptrace(request, pid, ...) */
    emit(filter, RETURN(SECCOMP_RET_ALLOW));
}

int seccomp_filter_install(const struct seccomp_filter *filter)
{
    struct sock_fprog program = {
        .len = filter->length,
        .filter = (struct sock_filter *)filter->code,
    };
    /* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. Root does
     * not, and we keep it off then: it would stop setuid programs the target
     * runs from gaining their privileges, a change to the target's semantics. */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0)
        return 0;
    if (errno != EACCES)
        return -errno;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -errno;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
        return -errno;
    return 0;
}
