/**
 * Rendered images kept in memory, most recently used first, up to a byte
 * budget. Rendering decodes a frame (a CT thumbnail takes over 100 ms of a
 * core here, on a render worker thread), and the same thumbnails are asked
 * for again and again (each worklist refresh, each study opened): a hit
 * costs nothing and leaves the render workers to the frames the viewer waits
 * for. The key names the stored bytes
 * (SHA-256), so a replaced instance is never served from an older render.
 */
export class RenderedCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Uint8Array | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserted: the Map's order is the use order.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, image: Uint8Array): void {
    if (image.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.length;
    }
    this.entries.set(key, image);
    this.bytes += image.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }
}
