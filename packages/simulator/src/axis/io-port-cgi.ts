// Axis I/O port API (VAPIX io/port.cgi): ports are numbered from 1, inputs first, then relay
// outputs. check=1,2 answers levels (port1=0|1), checkactive= answers active|inactive, and
// action=<port>:<seq> drives an output with "/" (activate), "\" (deactivate) and an optional pulse
// length in ms between them, e.g. "3:/300\".
import type { IoState } from '../camera/io-state.js';

function portState(io: IoState, port: number): boolean | undefined {
  const i = port - 1;
  if (i >= 0 && i < io.inputCount) return io.inputStates()[i];
  const o = i - io.inputCount;
  if (o >= 0 && o < io.outputCount) return io.outputStates()[o];
  return undefined;
}

function parsePorts(list: string): number[] | undefined {
  const ports = list.split(',').map((p) => Number(p));
  return ports.every((p) => Number.isInteger(p) && p > 0) ? ports : undefined;
}

/** Returns [httpStatus, text]. */
export function ioPortCgi(io: IoState, query: URLSearchParams): [number, string] {
  const check = query.get('check') ?? query.get('checkactive');
  if (check !== null) {
    const ports = parsePorts(check);
    if (ports === undefined) return [400, '# Error: bad port list\n'];
    const lines: string[] = [];
    for (const port of ports) {
      const state = portState(io, port);
      if (state === undefined) return [400, `# Error: no port ${port}\n`];
      lines.push(
        query.has('check') ? `port${port}=${state ? 1 : 0}` : `port${port}=${state ? 'active' : 'inactive'}`,
      );
    }
    return [200, `${lines.join('\n')}\n`];
  }
  const action = query.get('action');
  if (action !== null) {
    const m = /^(\d+):([/\\])(?:(\d{1,7})([/\\]))?$/.exec(action);
    if (m === null) return [400, '# Error: action must look like 3:/ or 3:\\ or 3:/300\\\n'];
    const output = Number(m[1]) - 1 - io.inputCount;
    if (output < 0 || output >= io.outputCount) return [400, `# Error: port ${m[1]} is not an output\n`];
    const first = m[2] === '/';
    const pulseMs =
      m[3] !== undefined && m[4] !== undefined && (m[4] === '/') !== first ? Number(m[3]) : undefined;
    io.setOutput(output, first, pulseMs);
    return [200, 'OK\n'];
  }
  return [400, '# Error: use check=, checkactive= or action=\n'];
}
