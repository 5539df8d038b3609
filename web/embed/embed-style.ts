/** The component's own look, inside its shadow root: the host page's styles neither leak in nor out. */
export const EMBED_CSS = `
:host { display: block; margin: 1em 0; font: 14px/1.4 system-ui, sans-serif; }
.pp { border: 1px solid #c9ced6; border-radius: 6px; overflow: hidden; background: #fff; color: #1d2330; }
textarea { display: block; box-sizing: border-box; width: 100%; border: 0; border-bottom: 1px solid #e2e5ea; padding: 8px 10px;
  font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; resize: vertical; background: #f7f8fa; color: inherit; }
.bar { display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: #fbfbfc; flex-wrap: wrap; }
button { font: inherit; padding: 2px 10px; border-radius: 4px; border: 1px solid #9aa3b2; background: #fff; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
.status { color: #5b6475; font-size: 12px; flex: 1; }
.status.ok { color: #1d7a3a; } .status.fail { color: #b42318; }
a { font-size: 12px; color: #3456c7; }
.out { margin: 0; padding: 8px 10px; max-height: 20em; overflow: auto; white-space: pre-wrap; font: 13px/1.45 ui-monospace, monospace; }
.out:empty { display: none; }
.stderr { color: #b42318; }
.audit { padding: 4px 10px 8px; font-size: 12px; border-top: 1px solid #e2e5ea; }
.audit ul { margin: 4px 0 0; padding-left: 18px; max-height: 10em; overflow: auto; }
.audit .deny { color: #b42318; }
`;
