/**
 * Sending instances one after another is bound by round trips, not by the
 * disk, as long as the next files are already read: this keeps a few
 * preparations (read, or decode) running ahead of the one being sent.
 */

/** Instances prepared ahead of the one on the wire (each at most 4 MiB held: see stored-instance.ts). */
export const PREPARE_AHEAD = 3;

/** Yields each item with its prepared value, in order, with `depth` preparations started ahead. */
export async function* preparedInOrder<T, P>(items: readonly T[], prepare: (item: T) => Promise<P>, depth = PREPARE_AHEAD): AsyncGenerator<[T, P]> {
  const queue = items.slice(0, depth).map(prepare);
  try {
    for (let at = 0; at < items.length; at++) {
      const value = await queue.shift()!;
      const following = items[at + depth];
      if (following !== undefined) queue.push(prepare(following));
      yield [items[at]!, value];
    }
  } finally {
    // Preparations left when the caller stops early (cancel) must not leave rejections unobserved.
    await Promise.allSettled(queue);
  }
}
