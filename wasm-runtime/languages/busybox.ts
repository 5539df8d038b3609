/**
 * The applets in busybox.wasm, as argv[0] names them: what an agent uses on files
 * and text. Neither shell (ash and hush need fork) nor anything that needs a
 * network, a terminal, users or other processes. xargs and find -exec can run only
 * applets that busybox runs in-process (echo, rm, mkdir…): WASI cannot start a process.
 */
export const BUSYBOX_APPLETS: readonly string[] = [
  "awk", "base64", "basename", "cat", "chmod", "cmp", "comm", "cp", "cut", "date", "diff", "dirname", "du", "echo",
  "egrep", "env", "expand", "expr", "false", "fgrep", "find", "fold", "grep", "gunzip", "gzip", "head", "hexdump",
  "ln", "ls", "md5sum", "mkdir", "mktemp", "mv", "nl", "od", "paste", "printenv", "printf", "pwd", "readlink",
  "realpath", "rev", "rm", "rmdir", "sed", "seq", "sha1sum", "sha256sum", "sha3sum", "sha512sum", "shuf", "sleep",
  "sort", "split", "stat", "tac", "tail", "tar", "tee", "test", "touch", "tr", "true", "truncate", "uname",
  "unexpand", "uniq", "wc", "which", "xargs", "xxd", "yes", "zcat",
]
