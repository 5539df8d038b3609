/**
 * embed.html: one `<playpen-run>` in a page of its own, for hosts that cannot
 * add a script (an LMS, a wiki) and embed an iframe instead. Configured by the
 * query (`?language=python&policy=locked&code=print(1)` — every attribute of
 * the element, plus `code`), driven by postMessage:
 *
 *   parent → frame  {type: "playpen:run", code?, stdin?} · {type: "playpen:stop"} · {type: "playpen:set-code", code}
 *   frame → parent  {type: "playpen:ready"} · {type: "playpen:output", stream, text} · {type: "playpen:result", result}
 *
 * Only messages from the embedding window are taken; replies go to its origin.
 */
import { PlaypenRunElement } from "./playpen-run.ts";

const ATTRIBUTES = ["language", "engine", "policy", "timeout", "readonly", "stdin", "files"];

export type FrameRequest = { type: "playpen:run"; code?: string; stdin?: string } | { type: "playpen:stop" } | { type: "playpen:set-code"; code: string };

const query = new URLSearchParams(location.search);
const element = document.createElement("playpen-run") as PlaypenRunElement;
for (const name of ATTRIBUTES) {
  const value = query.get(name);
  if (value !== null) element.setAttribute(name, value);
}
element.textContent = query.get("code") ?? "";
document.body.append(element);

let replyTo = "*";
element.addEventListener("playpen-output", (event) => post({ type: "playpen:output", ...(event as CustomEvent<object>).detail }));
element.addEventListener("playpen-result", (event) => post({ type: "playpen:result", result: (event as CustomEvent<unknown>).detail }));

window.addEventListener("message", (event: MessageEvent<FrameRequest>) => {
  if (event.source !== window.parent || window.parent === window) return;
  replyTo = event.origin;
  const message = event.data;
  if (message?.type === "playpen:run") {
    if (message.code !== undefined) element.code = message.code;
    if (message.stdin !== undefined) element.setAttribute("stdin", message.stdin);
    void element.run();
  } else if (message?.type === "playpen:stop") element.stop();
  else if (message?.type === "playpen:set-code") element.code = message.code;
});

function post(message: object): void {
  if (window.parent !== window) window.parent.postMessage(message, replyTo);
}
post({ type: "playpen:ready" });
