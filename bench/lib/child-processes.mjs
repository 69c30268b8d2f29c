// Child processes of a benchmark: every one started is tracked and SIGKILLed when the benchmark
// exits or is interrupted (only our own, by the handle we hold), with helpers to await a typed IPC
// message and an exit with a deadline.

const children = new Set();

/** Tracks `child` so it is killed when this process ends; returns it. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

let hooked = false;
/** Kills the tracked children on exit and Ctrl-C (once per process). */
export function killChildrenOnExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  process.on('SIGINT', () => {
    killAll();
    process.exit(130);
  });
}

/** The next IPC message of `type` from `child`; rejects on timeout or when the child exits first. */
export function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no '${type}' from child within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (msg) => {
      if (msg?.type !== type) return;
      done();
      resolve(msg);
    };
    const onExit = (code) => {
      done();
      reject(new Error(`child exited (${code}) before '${type}'`));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Resolves when `child` has exited; SIGKILLs it after `timeoutMs`. */
export function waitExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
