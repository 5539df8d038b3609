/** Says plainly that the page is not cross-origin isolated, why, and what does not work without it. */
export function IsolationBanner({ reason }: { reason: string }) {
  return (
    <div className="notice isolation-error" role="alert" data-testid="isolation-error">
      <strong>This page is not cross-origin isolated</strong>: {reason}. Without it the <b>Wasmer</b> engine cannot run at all, and the{" "}
      <b>gated</b> engine runs without asks and host tools. Serve Playpen with the headers{" "}
      <code>Cross-Origin-Opener-Policy: same-origin</code> and <code>Cross-Origin-Embedder-Policy: require-corp</code>, or open it in a window
      that allows service workers (docs/embed.md).
    </div>
  );
}
