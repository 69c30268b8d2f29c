// The public TCP port of one camera service. It owns every accepted socket so faults act at the
// transport: drop (destroy all), stall (accept, read and send nothing), drip (relay through a
// throttle to the service's private loopback port) and reboot (stop listening, then reopen).
import net from 'node:net';
import type { SimulatorClock } from '../simulator-clock.js';

export interface FrontDoorOptions {
  host: string;
  /** 0 = ephemeral; after the first listen the chosen port is reused on reopen. */
  port: number;
  /** Hands an accepted socket to the service directly (no copy); absent = always relay. */
  handoff?: (socket: net.Socket) => void;
  /** The service's private loopback listener, used to relay (drip, or when there is no handoff). */
  backend: () => { host: string; port: number } | undefined;
  stalled: () => boolean;
  dripBytesPerSecond: () => number | undefined;
  clock: SimulatorClock;
}

const DRIP_TICK_MS = 50;
const RELAY_HIGH_WATER_BYTES = 256 * 1024;

export class FrontDoor {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly held = new Set<net.Socket>();
  private readonly timers = new Set<unknown>();
  private boundPort: number;

  constructor(private readonly options: FrontDoorOptions) {
    this.boundPort = options.port;
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  async listen(): Promise<number> {
    if (this.server !== undefined) return this.boundPort;
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.boundPort, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {});
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    return this.boundPort;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.held.delete(socket);
    });
    socket.on('error', () => {});
  }

  private accept(socket: net.Socket): void {
    this.track(socket);
    if (this.options.stalled()) {
      socket.pause();
      this.held.add(socket);
      return;
    }
    this.dispatch(socket);
  }

  private dispatch(socket: net.Socket): void {
    const bps = this.options.dripBytesPerSecond();
    if (bps === undefined && this.options.handoff !== undefined) {
      this.options.handoff(socket);
      return;
    }
    this.relay(socket, bps);
  }

  /** Hands held (stalled) connections to the service, e.g. when a stall ends. */
  releaseHeld(): void {
    for (const socket of [...this.held]) {
      this.held.delete(socket);
      if (!socket.destroyed) this.dispatch(socket);
    }
  }

  private relay(client: net.Socket, bytesPerSecond: number | undefined): void {
    const target = this.options.backend();
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    client.pipe(upstream);
    if (bytesPerSecond === undefined) {
      upstream.pipe(client);
      return;
    }
    const queue: Buffer[] = [];
    let queued = 0;
    let upstreamEnded = false;
    upstream.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued > RELAY_HIGH_WATER_BYTES) upstream.pause();
    });
    upstream.once('end', () => (upstreamEnded = true));
    const perTick = Math.max(1, Math.floor((bytesPerSecond * DRIP_TICK_MS) / 1000));
    const tick = (): void => {
      this.timers.delete(handle);
      if (client.destroyed) return;
      let budget = perTick;
      while (budget > 0 && queue.length > 0) {
        const head = queue[0]!;
        const n = Math.min(budget, head.length);
        client.write(head.subarray(0, n));
        budget -= n;
        queued -= n;
        if (n === head.length) queue.shift();
        else queue[0] = head.subarray(n);
      }
      if (queue.length === 0 && upstreamEnded) {
        client.end();
        return;
      }
      if (queued <= RELAY_HIGH_WATER_BYTES / 2 && upstream.isPaused()) upstream.resume();
      handle = this.options.clock.setTimeout(tick, DRIP_TICK_MS);
      this.timers.add(handle);
    };
    let handle = this.options.clock.setTimeout(tick, DRIP_TICK_MS);
    this.timers.add(handle);
  }

  /** Destroys every open connection; the port keeps listening. */
  dropAll(): void {
    for (const socket of [...this.sockets]) socket.destroy();
    this.sockets.clear();
    this.held.clear();
  }

  /** Stops listening and destroys every connection; listen() reopens on the same port. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const t of this.timers) this.options.clock.clearTimeout(t);
    this.timers.clear();
    this.dropAll();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
