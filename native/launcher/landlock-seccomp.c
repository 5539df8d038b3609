// playpen-landlock: runs one program confined by Landlock and a seccomp filter,
// with no namespaces, no root filesystem of its own and no daemon - the
// smallest sandbox the kernel offers to an unprivileged process.
//
// Usage:
//   landlock-seccomp --abi          prints the kernel's Landlock ABI version
//   landlock-seccomp [--rx PATH]... [--ro PATH]... [--rw PATH]... [--chdir DIR]
//                    [--uid N --gid N] [--memory-mib N] [--pids N]
//                    [--env NAME=VALUE]... -- PROGRAM [ARG]...
//
// Order matters and is the point of this file:
//   1. resource limits (address space, processes, no core dumps);
//   2. drop to an unprivileged uid/gid: that also drops every capability, and
//      it is what makes RLIMIT_NPROC count (root ignores it);
//   3. no_new_privs, required by both Landlock and an unprivileged seccomp filter;
//   4. Landlock: the file system is denied except the granted paths, TCP bind
//      and connect are denied, and (ABI 6) signals and abstract UNIX sockets
//      cannot reach outside the domain;
//   5. seccomp: a deny list of the syscalls a confined program has no use for
//      (namespaces, mounts, ptrace, kernel modules, BPF, io_uring, keyrings...);
//   6. execve with only the --env variables: the caller's environment never
//      reaches the program.
// The launcher refuses to run when the kernel cannot enforce a step, rather
// than running the program with less confinement than was asked for.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// Landlock UAPI, spelled out because Debian 12's headers stop at ABI 2.
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)     // ABI 2
#define LL_FS_TRUNCATE (1ULL << 14)  // ABI 3
#define LL_FS_IOCTL_DEV (1ULL << 15) // ABI 5
#define LL_NET_BIND_TCP (1ULL << 0)    // ABI 4
#define LL_NET_CONNECT_TCP (1ULL << 1) // ABI 4
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) // ABI 6
#define LL_SCOPE_SIGNAL (1ULL << 1)               // ABI 6

struct ll_ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct ll_path_beneath_attr {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

#define MAX_ITEMS 64

struct grant {
  const char *path;
  uint64_t access;
};

static void die(const char *what) {
  fprintf(stderr, "landlock-seccomp: %s: %s\n", what, strerror(errno));
  exit(126);
}

static void usage(void) {
  fprintf(stderr,
          "usage: landlock-seccomp [--rx PATH]... [--ro PATH]... [--rw PATH]... [--chdir DIR]\n"
          "       [--uid N --gid N] [--memory-mib N] [--pids N] [--env NAME=VALUE]... -- PROGRAM [ARG]...\n");
  exit(2);
}

static void set_limit(int resource, rlim_t value, const char *name) {
  struct rlimit limit = {value, value};
  if (setrlimit(resource, &limit) != 0) die(name);
}

static uint64_t fs_rights_for_abi(int abi) {
  uint64_t rights = (LL_FS_MAKE_SYM << 1) - 1;  // the 13 rights of ABI 1
  if (abi >= 2) rights |= LL_FS_REFER;
  if (abi >= 3) rights |= LL_FS_TRUNCATE;
  if (abi >= 5) rights |= LL_FS_IOCTL_DEV;
  return rights;
}

static void apply_landlock(const struct grant *grants, int count) {
  int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  if (abi < 0) die("Landlock is not available");
  // Network rules arrived in ABI 4; without them loopback would stay open.
  if (abi < 4) {
    fprintf(stderr, "landlock-seccomp: Landlock ABI %d cannot restrict TCP (needs 4)\n", abi);
    exit(126);
  }
  uint64_t handled = fs_rights_for_abi(abi);
  struct ll_ruleset_attr attr = {
      .handled_access_fs = handled,
      .handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP,
      .scoped = abi >= 6 ? (LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL) : 0,
  };
  // Older ABIs do not know the scoped field: pass the shorter struct.
  size_t size = abi >= 6 ? sizeof attr : offsetof(struct ll_ruleset_attr, scoped);
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) die("landlock_create_ruleset");

  // Rights that only make sense on a directory are refused on a file rule.
  const uint64_t file_rights = LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
  for (int i = 0; i < count; i++) {
    int fd = open(grants[i].path, O_PATH | O_CLOEXEC);
    if (fd < 0) die(grants[i].path);
    struct stat st;
    if (fstat(fd, &st) != 0) die(grants[i].path);
    uint64_t access = grants[i].access & handled;
    if (!S_ISDIR(st.st_mode)) access &= file_rights;
    struct ll_path_beneath_attr rule = {.allowed_access = access, .parent_fd = fd};
    if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0) die("landlock_add_rule");
    close(fd);
  }
  if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) die("landlock_restrict_self");
  close(ruleset);
}

// Syscalls a confined program has no business making. Each answers EPERM, so
// a program that merely probes for a feature keeps running.
static const int denied_syscalls[] = {
    SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_kcmp, SYS_pidfd_getfd, SYS_process_madvise,
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare, SYS_setns, SYS_fsopen, SYS_fsconfig,
    SYS_fsmount, SYS_fspick, SYS_move_mount, SYS_open_tree, SYS_mount_setattr, SYS_open_by_handle_at,
    SYS_name_to_handle_at, SYS_bpf, SYS_perf_event_open, SYS_userfaultfd, SYS_io_uring_setup,
    SYS_io_uring_enter, SYS_io_uring_register, SYS_keyctl, SYS_add_key, SYS_request_key, SYS_kexec_load,
    SYS_kexec_file_load, SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_reboot, SYS_swapon,
    SYS_swapoff, SYS_syslog, SYS_acct, SYS_quotactl, SYS_lookup_dcookie, SYS_fanotify_init, SYS_vhangup,
    SYS_iopl, SYS_ioperm, SYS_modify_ldt, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
    SYS_sethostname, SYS_setdomainname, SYS_personality, SYS_uselib, SYS_ustat, SYS_sysfs, SYS_move_pages,
    SYS_migrate_pages, SYS_mbind, SYS_set_mempolicy, SYS_get_mempolicy,
};

// clone flags that create namespaces: a way back to privileges inside a user namespace.
#define NAMESPACE_FLAGS \
  (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | 0x80)

static void apply_seccomp(void) {
  enum { DENIED = sizeof denied_syscalls / sizeof denied_syscalls[0] };
  struct sock_filter filter[16 + 2 * DENIED];
  int n = 0;
  // Only the native x86-64 ABI: i386 and x32 numbers would bypass the list.
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);  // x32
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  // clone3 passes its flags in memory a filter cannot read: answer ENOSYS so
  // libc falls back to clone, whose flags it can.
  filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  for (int i = 0; i < DENIED; i++) {
    filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)denied_syscalls[i], 0, 1);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  }
  filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog program = {.len = (unsigned short)n, .filter = filter};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) die("seccomp");
}

int main(int argc, char **argv) {
  struct grant grants[MAX_ITEMS];
  char *env[MAX_ITEMS + 1];
  int grant_count = 0, env_count = 0;
  const char *chdir_to = NULL;
  long uid = -1, gid = -1, memory_mib = 0, pids = 0;
  const uint64_t read_rights = LL_FS_READ_FILE | LL_FS_READ_DIR;
  const uint64_t write_rights = LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |
                                LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SYM | LL_FS_REFER;

  if (argc == 2 && strcmp(argv[1], "--abi") == 0) {
    int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    if (abi < 0) die("Landlock is not available");
    printf("%d\n", abi);
    return 0;
  }

  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
    if (i + 1 >= argc) usage();
    const char *flag = argv[i], *value = argv[i + 1];
    if (grant_count >= MAX_ITEMS || env_count >= MAX_ITEMS) usage();
    if (strcmp(flag, "--rx") == 0) grants[grant_count++] = (struct grant){value, read_rights | LL_FS_EXECUTE};
    else if (strcmp(flag, "--ro") == 0) grants[grant_count++] = (struct grant){value, read_rights};
    else if (strcmp(flag, "--rw") == 0) grants[grant_count++] = (struct grant){value, read_rights | write_rights};
    else if (strcmp(flag, "--env") == 0) env[env_count++] = (char *)value;
    else if (strcmp(flag, "--chdir") == 0) chdir_to = value;
    else if (strcmp(flag, "--uid") == 0) uid = strtol(value, NULL, 10);
    else if (strcmp(flag, "--gid") == 0) gid = strtol(value, NULL, 10);
    else if (strcmp(flag, "--memory-mib") == 0) memory_mib = strtol(value, NULL, 10);
    else if (strcmp(flag, "--pids") == 0) pids = strtol(value, NULL, 10);
    else usage();
  }
  if (i + 1 >= argc) usage();
  char **program = &argv[i + 1];
  env[env_count] = NULL;

  set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE");
  if (memory_mib > 0) set_limit(RLIMIT_AS, (rlim_t)memory_mib << 20, "RLIMIT_AS");
  if (pids > 0) set_limit(RLIMIT_NPROC, (rlim_t)pids, "RLIMIT_NPROC");

  if (getuid() == 0 && (uid < 0 || gid < 0)) {
    // Root keeps every capability and ignores RLIMIT_NPROC: not a sandbox.
    fprintf(stderr, "landlock-seccomp: running as root needs --uid and --gid to drop to\n");
    return 126;
  }
  if (gid >= 0) {
    if (setgroups(0, NULL) != 0) die("setgroups");
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) die("setresgid");
  }
  if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) die("setresuid");
  if (chdir_to && chdir(chdir_to) != 0) die(chdir_to);

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("no_new_privs");
  apply_landlock(grants, grant_count);
  apply_seccomp();

  execve(program[0], program, env);
  die(program[0]);
}
