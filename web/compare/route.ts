/**
 * The Compare view's place in the URL: `#compare` opens it, and
 * `#compare&token=…` also hands it the local runner's token, which the page
 * then removes from the visible URL (history, screenshots, shared links).
 */
export const COMPARE_HASH = "#compare";

export interface CompareRoute {
  compare: boolean;
  token?: string;
}

export function parseCompareHash(hash: string): CompareRoute {
  const [head, ...rest] = hash.split("&");
  if (head !== COMPARE_HASH) return { compare: false };
  const params = new URLSearchParams(rest.join("&"));
  const token = params.get("token")?.trim();
  return token ? { compare: true, token } : { compare: true };
}
