export { FsError, type FsErrorCode } from "./errors.ts";
export { VirtualFs, existing, type LocateOptions, type VirtualFsOptions } from "./fs.ts";
export type { DirEntry } from "./listing.ts";
export { DirNode, FileNode, SymlinkNode, linkCount, type Node } from "./nodes.ts";
export { NAME_MAX, PATH_MAX, SYMLOOP_MAX, pathsBelow, type Location } from "./path.ts";
export { MAX_FILE_BYTES } from "./content.ts";
export { WORKSPACE, mkdirp, populate, readFile, writeFile } from "./populate.ts";
export { fromSnapshot, snapshot, type DirSnapshot, type FileSnapshot, type NodeSnapshot, type SymlinkSnapshot, type VfsSnapshot } from "./snapshot.ts";
