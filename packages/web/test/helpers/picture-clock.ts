// Reads the clock burnt into the simulator's picture: every fixture frame n shows seconds-of-
// minute floor(n/25) and tenths, and the simulator shows frame floor(epochMs/40) mod 1500 at that
// instant. The digits of the browser's current frame (cropped, scaled, black and white) are
// matched against every frame of the clip decoded by ffmpeg; the best match gives the footage's
// own time of minute.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES } from './fmp4-clip.js';

export const REF_W = 124;
export const REF_H = 40;
/** Where the big "SS.d" digits are, as fractions of the picture (the same in main and sub clips). */
const CROP = { x: 0.19, y: 0.15, w: 0.62, h: 0.37 };

/** White digits on a dark background: 1 where the pixel is bright. */
const binarize = (grey: ArrayLike<number>): Uint8Array => Uint8Array.from(grey, (v) => (v > 128 ? 1 : 0));

export function loadReferenceFrames(name = 'sub-h264-still.mp4'): Uint8Array[] {
  const crop = `crop=iw*${CROP.w}:ih*${CROP.h}:iw*${CROP.x}:ih*${CROP.y}`;
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path.join(FIXTURES, name),
      '-vf',
      `${crop},scale=${REF_W}:${REF_H},format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 32 * 1024 * 1024 },
  );
  const size = REF_W * REF_H;
  const frames: Uint8Array[] = [];
  for (let i = 0; i + size <= raw.length; i += size) frames.push(binarize(raw.subarray(i, i + size)));
  return frames;
}

/** The digits of the current picture of a video element, cropped and scaled like the references. */
export async function grabPicture(page: Page, videoSelector: string): Promise<Uint8Array> {
  const grey = await page.evaluate(
    ([sel, w, h, crop]) => {
      const video = document.querySelector<HTMLVideoElement>(sel as string)!;
      const c = crop as { x: number; y: number; w: number; h: number };
      const canvas = document.createElement('canvas');
      canvas.width = w as number;
      canvas.height = h as number;
      const g = canvas.getContext('2d', { willReadFrequently: true })!;
      const vw = video.videoWidth;
      const vh = video.videoHeight;
      g.drawImage(video, c.x * vw, c.y * vh, c.w * vw, c.h * vh, 0, 0, w as number, h as number);
      const rgba = g.getImageData(0, 0, w as number, h as number).data;
      const out: number[] = [];
      for (let i = 0; i < rgba.length; i += 4)
        out.push(Math.round(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!));
      return out;
    },
    [videoSelector, REF_W, REF_H, CROP] as const,
  );
  return binarize(grey);
}

/**
 * Seconds of the minute shown in the picture (0.1 s steps), the share of digit pixels that differ
 * from the best reference frame, and how much larger that share is for the best frame more than a
 * second away (so a match is not a coin toss at the tolerance the tests use).
 */
export function pictureSecond(
  refs: readonly Uint8Array[],
  picture: Uint8Array,
): { seconds: number; distance: number; margin: number } {
  const scores = refs.map((ref) => {
    let differ = 0;
    for (let i = 0; i < ref.length; i++) differ += ref[i] === picture[i] ? 0 : 1;
    return differ / ref.length;
  });
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! < scores[best]!) best = i;
  let other = Infinity;
  for (let i = 0; i < scores.length; i++)
    if (secondsApart(i / 25, best / 25) > 1) other = Math.min(other, scores[i]!);
  return { seconds: best / 25, distance: scores[best]!, margin: other - scores[best]! };
}

/** Difference of two seconds-of-minute values on the 60 s circle. */
export function secondsApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 60;
  return Math.min(d, 60 - d);
}
