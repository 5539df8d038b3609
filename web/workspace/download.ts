/** Hands `bytes` to the browser as a download named `name`. */
export function download(name: string, bytes: Uint8Array, type = "application/octet-stream"): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  // The download has started from the URL by the time the click handler returns; revoke it after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
