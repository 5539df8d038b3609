/**
 * Aho–Corasick over small alphabets: every pattern in one pass over the text,
 * as a full transition table (no failure links walked while scanning), so a
 * character costs one table lookup whatever the number of secrets.
 */
export class Automaton {
  /** Symbols: 0 … size-1. */
  readonly size: number;
  /** `next[state * size + symbol]`. State 0 is the root. */
  readonly next: Int32Array;
  /** Length of the pattern prefix a state stands for. */
  readonly depth: Int32Array;
  /** Patterns ending at a state (its own and through its suffixes), by index; absent for most states. */
  readonly out: (readonly number[] | undefined)[];
  /** Length of each pattern. */
  readonly lengths: readonly number[];
  readonly longest: number;

  constructor(patterns: readonly (readonly number[])[], size: number) {
    this.size = size;
    this.lengths = patterns.map((p) => p.length);
    this.longest = Math.max(0, ...this.lengths);
    const goto: Map<number, number>[] = [new Map()];
    const depth = [0];
    const own: number[][] = [[]];
    patterns.forEach((pattern, index) => {
      let state = 0;
      for (const symbol of pattern) {
        let to = goto[state]!.get(symbol);
        if (to === undefined) {
          to = goto.length;
          goto.push(new Map());
          depth.push(depth[state]! + 1);
          own.push([]);
          goto[state]!.set(symbol, to);
        }
        state = to;
      }
      own[state]!.push(index);
    });
    const states = goto.length;
    const next = new Int32Array(states * size);
    const fail = new Int32Array(states);
    const out: (number[] | undefined)[] = new Array<number[] | undefined>(states);
    // Breadth first, so a state's failure target is complete before the state itself.
    const queue: number[] = [];
    for (let symbol = 0; symbol < size; symbol++) {
      const to = goto[0]!.get(symbol) ?? 0;
      next[symbol] = to;
      if (to !== 0) queue.push(to);
    }
    out[0] = own[0]!.length > 0 ? own[0] : undefined;
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const inherited = out[fail[state]!];
      const mine = own[state]!;
      out[state] = mine.length > 0 ? (inherited ? [...mine, ...inherited] : mine) : inherited;
      for (let symbol = 0; symbol < size; symbol++) {
        const to = goto[state]!.get(symbol);
        if (to === undefined) {
          next[state * size + symbol] = next[fail[state]! * size + symbol]!;
        } else {
          fail[to] = next[fail[state]! * size + symbol]!;
          next[state * size + symbol] = to;
          queue.push(to);
        }
      }
    }
    this.next = next;
    this.depth = Int32Array.from(depth);
    this.out = out;
  }
}
