/**
 * Hosts as the network will see them. Text is not what a connection goes to:
 * `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1` and `[::ffff:7f00:1]` are all
 * 127.0.0.1, and a name can resolve to anything. So rules and requests are
 * compared in one canonical spelling (WHATWG URL host parsing: IPv4 in every
 * legacy form, IDNA to punycode, lower case; then IPv4-mapped IPv6 as IPv4 and
 * no trailing dot), and addresses outside the public internet (loopback,
 * private, link-local, unspecified…) are named so the decider can hold them
 * to an explicit grant. No I/O: resolving names is the caller's job.
 */

/** 16 bytes: IPv4 addresses are kept IPv4-mapped (::ffff:a.b.c.d), so one comparison serves both families. */
type Address16 = Uint8Array;

interface Cidr {
  bytes: Address16;
  bits: number;
}

/** The canonical spelling of a host name or IP address, or undefined when `text` is not one (a port, path, user or space included). */
export function canonicalHost(text: string): string | undefined {
  // The URL parser drops tabs and newlines silently; a host with them is not a host.
  // eslint-disable-next-line no-control-regex
  if (text === "" || /[\s\u0000-\u001f\u007f]/.test(text)) return undefined;
  const bracketed = text.startsWith("[") && text.endsWith("]");
  const bare = bracketed ? text.slice(1, -1) : text;
  if (bare.includes(":") || bracketed) {
    const parsed = parseUrlHost(`[${bare}]`);
    return parsed && ipv6Text(parsed.slice(1, -1));
  }
  const parsed = parseUrlHost(bare.endsWith(".") ? bare.slice(0, -1) : bare);
  return parsed === undefined || parsed.endsWith(".") ? undefined : parsed;
}

/** Whether a canonical host is an IP address (IPv4 dotted quad or IPv6), not a name. */
export function isIpAddress(host: string): boolean {
  return IPV4.test(host) || host.includes(":");
}

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761), resolved by browsers without DNS. */
export function isLocalhostName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

/**
 * Names that by convention live on the local network (mDNS `.local`,
 * `home.arpa`, `.internal`, `.lan`, `.localdomain`). Where a name cannot be
 * resolved first (the browser), these are taken to be private addresses.
 */
export function isLocalNetworkName(host: string): boolean {
  return /(?:^|\.)(?:local|home\.arpa|internal|lan|localdomain)$/.test(host);
}

/** What a name such as `localhost` reaches when it cannot be resolved (in the browser). */
export const LOOPBACK_ADDRESSES: readonly string[] = Object.freeze(["127.0.0.1", "::1"]);

/**
 * The kind of a canonical IP address outside the public internet, e.g.
 * `loopback`; undefined for a public address. Connecting to `0.0.0.0` or
 * `::` reaches this machine, so they count (as `unspecified`).
 */
export function specialRange(address: string): string | undefined {
  const bytes = toBytes(address);
  if (!bytes) return undefined;
  for (const [cidr, label] of SPECIAL_RANGES) {
    if (!contains(cidr, bytes)) continue;
    // NAT64 (64:ff9b::/96) carries an IPv4 address: judge that one.
    if (label === "nat64") return specialRange(ipv4Text(bytes.subarray(12)));
    return label;
  }
  return undefined;
}

/**
 * A CIDR range `address/bits` (`10.0.0.0/8`, `fd00::/8`, `[fd00::]/8`) as a
 * predicate over canonical addresses, or the problem in words.
 */
export function parseCidr(text: string): ((address: string) => boolean) | string {
  const match = /^(.+)\/(\d{1,3})$/.exec(text);
  if (!match) return "must be an address range such as 10.0.0.0/8";
  const host = canonicalHost(match[1]!);
  const bytes = host === undefined ? undefined : toBytes(host);
  if (!bytes) return `${match[1]} is not an IP address`;
  const v4 = IPV4.test(host!);
  const bits = Number(match[2]) + (v4 ? 96 : 0);
  if (bits > 128) return `the prefix length must be at most ${v4 ? 32 : 128}`;
  const cidr = { bytes, bits };
  if (!contains(cidr, bytes, true)) return `has address bits set past /${match[2]}: write the first address of the range`;
  return (address) => {
    const other = toBytes(address);
    return other !== undefined && contains(cidr, other);
  };
}

/** A rule's `host` compiled; every method takes canonical hosts and addresses. */
export interface HostPattern {
  /** The pattern names this host: a name, or an IP address written in the request. */
  names(host: string): boolean;
  /** A deny rule with this pattern also stops connections to this address (whatever name led there). */
  reaches(address: string): boolean;
  /** An allow rule with this pattern grants this address outside the public internet: only an address or range written out does (and `localhost` its loopback). */
  grantsSpecial(address: string): boolean;
  /** `*`: names every host without naming any in particular. */
  everything: boolean;
}

const never = () => false;
const HOST_LABELS = /^(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$/;
/** Two colons or more tell an IPv6 literal from host:port. */
const IPV6_LITERAL = /^\[?[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*\]?$/i;

/**
 * `*` (any host; public addresses only, unless a deny), `*.domain` (every
 * subdomain), a name, an IP address in any spelling, or a CIDR range; or the
 * problem in words.
 */
export function parseHostPattern(text: string): HostPattern | string {
  if (text === "*") return { names: () => true, reaches: () => true, grantsSpecial: never, everything: true };
  if (/\/\d+$/.test(text)) {
    const inRange = parseCidr(text);
    if (typeof inRange === "string") return inRange;
    return { names: (host) => isIpAddress(host) && inRange(host), reaches: inRange, grantsSpecial: inRange, everything: false };
  }
  if (text.includes("/")) return "must be a host name, not a URL: put the path in pathPrefix";
  if (text.includes(":") && !IPV6_LITERAL.test(text)) return "must not include a port: use the port field";
  const wildcard = text.startsWith("*.");
  const rest = wildcard ? text.slice(2) : text;
  if (rest.includes("*")) return 'wildcards are "*" alone or a leading "*." only';
  const host = canonicalHost(rest);
  if (host === undefined) return "is not a valid host name or IP address";
  if (isIpAddress(host)) {
    if (wildcard) return '"*." takes a domain, not an address: write a range such as 10.0.0.0/8';
    const same = (address: string) => address === host;
    return { names: same, reaches: same, grantsSpecial: same, everything: false };
  }
  if (!HOST_LABELS.test(host)) return "is not a valid host name";
  if (wildcard) return { names: (h) => h.endsWith(`.${host}`) && !isIpAddress(h), reaches: never, grantsSpecial: never, everything: false };
  const loopback = host === "localhost";
  return { names: (h) => h === host, reaches: never, grantsSpecial: (address) => loopback && specialRange(address) === "loopback", everything: false };
}

// ---------------------------------------------------------------------------

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

function parseUrlHost(host: string): string | undefined {
  let url: URL;
  try {
    url = new URL(`http://${host}/`);
  } catch {
    return undefined;
  }
  // Anything beyond a host (a port, a path, a user) means the text was not just a host.
  const plain = url.host === url.hostname && url.pathname === "/" && !url.username && !url.password && !url.search && !url.hash;
  return plain && url.hostname !== "" ? url.hostname : undefined;
}

/** An IPv6 address as the URL parser wrote it (compressed, lower case), IPv4-mapped ones as IPv4. */
function ipv6Text(text: string): string {
  const bytes = ipv6Bytes(text);
  return isMapped(bytes) ? ipv4Text(bytes.subarray(12)) : text;
}

function isMapped(bytes: Address16): boolean {
  return bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function ipv4Text(bytes: Uint8Array): string {
  return Array.from(bytes).join(".");
}

/** A canonical address as 16 bytes (IPv4 mapped); undefined for a name. */
function toBytes(address: string): Address16 | undefined {
  if (IPV4.test(address)) {
    const bytes = new Uint8Array(16);
    bytes[10] = bytes[11] = 0xff;
    address.split(".").forEach((part, i) => (bytes[12 + i] = Number(part)));
    return bytes;
  }
  return address.includes(":") ? ipv6Bytes(address) : undefined;
}

/** Hex groups with at most one `::`, as the URL parser writes them (never a dotted tail). */
function ipv6Bytes(text: string): Address16 {
  const [head, tail] = text.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** Whether `bytes` is in the range; with `exact`, whether it is the range's first address (no bits past the prefix). */
function contains({ bytes: base, bits }: Cidr, bytes: Address16, exact = false): boolean {
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((bytes[i]! & mask) !== (base[i]! & mask)) return false;
    if (exact && (bytes[i]! & ~mask & 0xff) !== 0) return false;
  }
  return true;
}

function cidr(text: string): Cidr {
  const [address, bits] = text.split("/") as [string, string];
  const v4 = IPV4.test(address);
  return { bytes: toBytes(address)!, bits: Number(bits) + (v4 ? 96 : 0) };
}

/** First match wins: the more specific ranges come first. */
const SPECIAL_RANGES: readonly [Cidr, string][] = (
  [
    ["0.0.0.0/8", "unspecified"],
    ["127.0.0.0/8", "loopback"],
    ["10.0.0.0/8", "private"],
    ["172.16.0.0/12", "private"],
    ["192.168.0.0/16", "private"],
    ["100.64.0.0/10", "private (carrier-grade NAT)"],
    ["169.254.0.0/16", "link-local"],
    ["192.0.0.0/24", "reserved"],
    ["198.18.0.0/15", "reserved"],
    ["224.0.0.0/4", "multicast"],
    ["240.0.0.0/4", "reserved"],
    ["::/128", "unspecified"],
    ["::1/128", "loopback"],
    ["::/96", "reserved (IPv4-compatible)"],
    ["64:ff9b::/96", "nat64"],
    ["fc00::/7", "private"],
    ["fe80::/10", "link-local"],
    ["fec0::/10", "private (site-local)"],
    ["ff00::/8", "multicast"],
  ] as const
).map(([range, label]) => [cidr(range), label]);
