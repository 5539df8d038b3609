/**
 * Where the wasmer engine's WASI preview1 (@wasmer/sdk) answers differently
 * from the reference — Node's `node:wasi`, corrected where it departs from the
 * spec — as measured by the differential harness
 * (test/unit/wasi-differential.test.ts, which fails when this list is not
 * exactly what it finds). The gated engine gives the reference's answers.
 */
export interface WasiDifference {
  /** What the wasmer engine does instead. */
  what: string;
  /** The harness cases: `<program>/<case>` (test/fixtures/wasi-diff/<program>.c), or `<scenario>/<case>` for one scenario's. */
  cases: readonly string[];
}

export const WASMER_WASI_DIFFERENCES: readonly WasiDifference[] = [
  {
    what: "three preopens (/, . and / again), and fd_prestat_get succeeds on stdin",
    cases: ["files/preopen_end", "files/prestat_get_stdin"],
  },
  {
    what: "rights are not capabilities: every descriptor reports all 39 rights; a call without its right fails with EACCES (or succeeds) instead of ENOTCAPABLE, and a path call on a file is ENOTDIR",
    cases: [
      "files/fdstat_root",
      "files/write_read_only",
      "files/set_size_read_only",
      "files/pwrite_read_only",
      "files/read_write_only",
      "files/write_after_drop",
      "paths/readdir_on_file",
      "paths/path_open_on_file_fd",
      "paths/mkdir_on_file_fd",
      "paths/narrow_mkdir",
      "paths/narrow_open_for_write",
    ],
  },
  {
    what: "sizes: O_TRUNC leaves a file allocated by fd_allocate at its allocated size, and appends go after it; O_TRUNC of a directory succeeds",
    cases: ["files/open_trunc", "files/append_writes_at_end", "files/write_after_clear_append", "files/stat_unlinked", "files/open_dir_trunc"],
  },
  {
    what: "fd_advise accepts any advice; fd_renumber of a closed descriptor succeeds; path_filestat_set_times changes nothing",
    cases: ["files/advise_bad", "files/renumber_from_closed", "files/renumber_to_closed", "files/path_times_set"],
  },
  {
    what: "removing and renaming: rmdir of a non-empty folder is ENOENT; rename replaces a folder with a file, a file with a folder and a non-empty folder, ignores a trailing slash, fails (ENOENT) onto itself, over an empty folder and for a symlink",
    cases: [
      "paths/rmdir_nonempty",
      "paths/rmdir_dot",
      "paths/rename_file_over_dir",
      "paths/rename_dir_over_file",
      "paths/rename_dir_over_nonempty",
      "paths/rename_file_trailing_slash",
      "paths/rename_to_same",
      "paths/rename_dir_over_empty_dir",
      "paths/rename_link",
      "paths/renamed_link_still_link",
    ],
  },
  {
    what: "symlinks and links: path_symlink ignores a trailing slash; path_readlink into a short buffer is EOVERFLOW instead of truncating; a hard link to a folder succeeds, and one to `name/` too; a file's link count is always 1; renaming a name onto another name of the same file is ENOENT instead of doing nothing; unlinking `link-to-folder/` fails inside @wasmer/sdk (a Rust assertion: the run dies), so the harness skips it there",
    cases: [
      "paths/symlink_trailing_slash",
      "paths/readlink_truncated",
      "paths/link_dir",
      "paths/link_trailing_slash",
      "paths/link_nlink",
      "paths/link_nlink_three",
      "paths/link_survives_unlink",
      "paths/link_symlink_itself_type",
      "paths/link_rename_onto_other_name",
      "paths/unlink_link_to_dir_slash",
    ],
  },
  {
    what: "clocks and poll_oneoff: an unknown clock reads as a valid one in clock_time_get and fails the whole poll; a subscription on no descriptor fails the whole poll; a file's fd_write event reports 8192 bytes",
    cases: ["process/clock_time_unknown", "process/poll_unknown_clock", "process/poll_bad_fd", "process/poll_file_write", "process/poll_fd_and_clock"],
  },
  {
    what: "sock_* on a descriptor that is not a socket is EACCES instead of ENOTSOCK",
    cases: ["process/sock_accept_stdout", "process/sock_recv_stdin", "process/sock_send_stdout", "process/sock_shutdown_stdout"],
  },
  {
    what: "the environment reaches the guest in another order than given",
    cases: ["process-env/environ_order"],
  },
];
