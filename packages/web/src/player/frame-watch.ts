// Calls back for every frame the browser presents, with its media time and the wall-clock time
// it reaches the screen (HTMLVideoElement.requestVideoFrameCallback, WICG video-rvfc). Where the
// API is missing, the play position is sampled four times a second instead.

export interface FrameWatch {
  stop(): void;
}

export function watchPresentedFrames(
  video: HTMLVideoElement,
  onFrame: (mediaTimeS: number, presentedAtMs: number) => void,
  now: () => number,
): FrameWatch {
  let stopped = false;
  if (typeof video.requestVideoFrameCallback === 'function') {
    let handle = 0;
    const step = (nowHighRes: number, meta: VideoFrameCallbackMetadata): void => {
      if (stopped) return;
      // expectedDisplayTime is on the performance clock; move it to the wall clock now
      const presentedAtMs = now() + (meta.expectedDisplayTime - performance.now());
      onFrame(meta.mediaTime, presentedAtMs);
      handle = video.requestVideoFrameCallback(step);
      void nowHighRes;
    };
    handle = video.requestVideoFrameCallback(step);
    return {
      stop() {
        stopped = true;
        video.cancelVideoFrameCallback(handle);
      },
    };
  }
  const timer = setInterval(() => {
    if (!video.paused && video.readyState >= 2) onFrame(video.currentTime, now());
  }, 250);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
