// Reads the clock burnt into the simulator's picture: every fixture frame n shows seconds-of-
// minute floor(n/25) and tenths, and the simulator shows frame floor(epochMs/40) mod 1500 at that
// instant. The browser's current frame, scaled to 64x36 grey, is matched against every frame of
// the clip decoded by ffmpeg; the best match gives the footage's own time of minute.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES } from './fmp4-clip.js';

export const REF_W = 64;
export const REF_H = 36;

export function loadReferenceFrames(name = 'sub-h264-still.mp4'): Uint8Array[] {
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path.join(FIXTURES, name),
      '-vf',
      `scale=${REF_W}:${REF_H},format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const size = REF_W * REF_H;
  const frames: Uint8Array[] = [];
  for (let i = 0; i + size <= raw.length; i += size) frames.push(new Uint8Array(raw.subarray(i, i + size)));
  return frames;
}

/** The current picture of a video element as 64x36 grey (BT.601 luma). */
export async function grabPicture(page: Page, videoSelector: string): Promise<Uint8Array> {
  const grey = await page.evaluate(
    ([sel, w, h]) => {
      const video = document.querySelector<HTMLVideoElement>(sel as string)!;
      const canvas = document.createElement('canvas');
      canvas.width = w as number;
      canvas.height = h as number;
      const g = canvas.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(video, 0, 0, w as number, h as number);
      const rgba = g.getImageData(0, 0, w as number, h as number).data;
      const out: number[] = [];
      for (let i = 0; i < rgba.length; i += 4)
        out.push(Math.round(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!));
      return out;
    },
    [videoSelector, REF_W, REF_H],
  );
  return Uint8Array.from(grey);
}

/** Seconds of the minute shown in the picture (0.1 s steps), and how clearly it matched. */
export function pictureSecond(
  refs: readonly Uint8Array[],
  picture: Uint8Array,
): { seconds: number; distance: number; margin: number } {
  const scores = refs.map((ref) => {
    let sad = 0;
    for (let i = 0; i < ref.length; i++) sad += Math.abs(ref[i]! - picture[i]!);
    return sad / ref.length;
  });
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! < scores[best]!) best = i;
  // the nearest frame showing another second, to show the match is not a coin toss
  let other = Infinity;
  for (let i = 0; i < scores.length; i++)
    if (Math.floor(i / 25) !== Math.floor(best / 25)) other = Math.min(other, scores[i]!);
  return { seconds: best / 25, distance: scores[best]!, margin: other - scores[best]! };
}

/** Difference of two seconds-of-minute values on the 60 s circle. */
export function secondsApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 60;
  return Math.min(d, 60 - d);
}
