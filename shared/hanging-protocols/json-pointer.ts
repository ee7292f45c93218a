/** RFC 6901 JSON pointers, as every protocol issue and explanation names a place in a protocol. */

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
