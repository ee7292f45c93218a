/** The parts' bytes one after another, in a new array; `length`, when the caller has counted it already, saves a pass. */
export function concatBytes(parts: readonly Uint8Array[], length = parts.reduce((n, part) => n + part.length, 0)): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
