/** The worklist's thumbnail sizes (CSS pixels) and the one the reader chose, kept in the browser across sessions. */
export const THUMBNAIL_SIZES = [40, 80, 128] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

export const DEFAULT_THUMBNAIL_SIZE: ThumbnailSize = 80;
const STORAGE_KEY = 'viewbox.worklist.thumbnailSize';

export function isThumbnailSize(value: number): value is ThumbnailSize {
  return (THUMBNAIL_SIZES as readonly number[]).includes(value);
}

export function savedThumbnailSize(): ThumbnailSize {
  try {
    const saved = Number(localStorage.getItem(STORAGE_KEY));
    return isThumbnailSize(saved) ? saved : DEFAULT_THUMBNAIL_SIZE;
  } catch {
    // Storage refused (private mode, policy): the default for this session.
    return DEFAULT_THUMBNAIL_SIZE;
  }
}

export function saveThumbnailSize(size: ThumbnailSize): void {
  try {
    localStorage.setItem(STORAGE_KEY, String(size));
  } catch {
    // Not kept: the choice still holds until the page is left.
  }
}
