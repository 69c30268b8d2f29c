// The live view's split: 1, 4, 9 or 16 tiles, which camera sits in which tile, and which stream
// a tile asks for (the sub stream for small tiles, the main stream for a single, enlarged or
// fullscreen tile, as the manual's live view does). Pure.

export const LAYOUTS = [1, 4, 9, 16] as const;
export type Layout = (typeof LAYOUTS)[number];

export const isLayout = (n: number): n is Layout => (LAYOUTS as readonly number[]).includes(n);

export const gridColumns = (layout: Layout): number => Math.sqrt(layout);

/** The smallest split that shows `count` cameras (16 at most). */
export function layoutFor(count: number): Layout {
  return LAYOUTS.find((l) => l >= count) ?? 16;
}

/** Tiles for a new split: existing cameras keep their tile as far as they fit. */
export function resizeTiles(tiles: readonly (number | null)[], layout: Layout): (number | null)[] {
  return Array.from({ length: layout }, (_, i) => tiles[i] ?? null);
}

/** The first cameras, one per tile. */
export function defaultTiles(cameraIds: readonly number[], layout: Layout): (number | null)[] {
  return resizeTiles(cameraIds.slice(0, layout), layout);
}

/**
 * Puts a camera into the split: into `target` when given, else the first empty tile, else the last
 * tile. A camera already shown stays where it is unless a target is named (then it moves there).
 */
export function placeCamera(
  tiles: readonly (number | null)[],
  cameraId: number,
  target?: number,
): (number | null)[] {
  const next = [...tiles];
  const current = next.indexOf(cameraId);
  if (target === undefined && current >= 0) return next;
  const index =
    target !== undefined && target >= 0 && target < next.length
      ? target
      : next.indexOf(null) >= 0
        ? next.indexOf(null)
        : next.length - 1;
  if (index < 0) return next;
  if (current >= 0) next[current] = next[index] ?? null; // swap with what was there
  next[index] = cameraId;
  return next;
}

/** Drops cameras that no longer exist. */
export function pruneTiles(
  tiles: readonly (number | null)[],
  cameraIds: readonly number[],
): (number | null)[] {
  return tiles.map((id) => (id !== null && cameraIds.includes(id) ? id : null));
}

export function streamForTile(layout: Layout, enlarged: boolean, hasSubStream: boolean): 'main' | 'sub' {
  return layout === 1 || enlarged || !hasSubStream ? 'main' : 'sub';
}

/** Fills empty tiles with cameras not shown yet, in list order (after the split grows). */
export function fillTiles(
  tiles: readonly (number | null)[],
  cameraIds: readonly number[],
): (number | null)[] {
  const waiting = cameraIds.filter((id) => !tiles.includes(id));
  return tiles.map((t) => (t === null ? (waiting.shift() ?? null) : t));
}
