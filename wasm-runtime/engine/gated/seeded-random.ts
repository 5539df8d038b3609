/**
 * A deterministic byte source for `random: {seed}` policies (SplitMix32):
 * reproducible runs, explicitly not cryptographic.
 */
export function seededRandom(seed: number): (buffer: Uint8Array) => void {
  let state = seed >>> 0;
  return (buffer) => {
    for (let i = 0; i < buffer.length; i++) {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      buffer[i] = (z ^ (z >>> 16)) & 0xff;
    }
  };
}
