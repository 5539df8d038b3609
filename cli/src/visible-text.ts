/**
 * Guest output as a terminal may show it: every control character but a
 * newline and a tab made visible, so a guest cannot move the cursor, clear
 * the screen, set the window title or draw a fake prompt (issue 13). C0
 * characters and DEL in caret notation (ESC → `^[`, CR → `^M`), C1 characters
 * (8-bit CSI and the like) as `\u009b`. Each character on its own, so output
 * split anywhere is made visible the same.
 */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return "^?";
    return `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
