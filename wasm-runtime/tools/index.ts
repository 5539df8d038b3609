/** Host functions ("tools") for guests of the gated engine: the controller's side. The guest's side is wasi/tool-mount.ts. */
export { BUILTIN_TOOLS } from "./builtins.ts";
export { HTTP_TIMEOUT_MS, MAX_HTTP_BODY_BYTES, MAX_REDIRECTS, http, type HttpReply } from "./http.ts";
export { fetchTransport, httpTransport, setHttpTransport, type HttpInit, type HttpResponse, type HttpTransport, type StreamConnection } from "./http-transport.ts";
export { KvStore, MAX_KV_SIZE } from "./kv.ts";
export { RateLimits } from "./rate-limit.ts";
export { ToolCalls, type ToolCallsOptions } from "./tool-calls.ts";
export { compileUserTools, type UserTool, type UserToolContext } from "./user-tools.ts";
export type { BuiltinContext, BuiltinTool, Permission } from "./tool.ts";
export { SOCKET_CHANNEL, SocketCalls } from "./socket-calls.ts";
