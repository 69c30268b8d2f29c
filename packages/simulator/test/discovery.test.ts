// WS-Discovery and mDNS/DNS-SD found by an independent probe (Python sockets) inside a network
// namespace this test creates. The simulator answers only on the namespace's veth link: its root
// end gets a private 10.x/30 address that exists only for this test; everything is deleted after.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { run } from './helpers/processes.js';

const tag = randomBytes(3).toString('hex');
const ns = `argus-sim-${tag}`;
const vethRoot = `asv${tag}a`;
const vethNs = `asv${tag}b`;
let rootAddr = '';
let nsAddr = '';
let sim: RunningSimulator | undefined;
const probeScript = fileURLToPath(new URL('./helpers/discovery-probe.py', import.meta.url));

async function sh(args: string[]): Promise<string> {
  const r = await run(args[0]!, args.slice(1), 10_000);
  if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  // A /30 in 10.0.0.0/8 that no route of this host uses yet.
  const routes = await sh(['ip', '-4', 'route', 'show']);
  for (let i = 0; i < 50 && rootAddr === ''; i++) {
    const a = 100 + (randomBytes(1)[0]! % 150);
    const b = randomBytes(1)[0]!;
    if (!routes.includes(`10.${a}.${b}.`)) {
      rootAddr = `10.${a}.${b}.1`;
      nsAddr = `10.${a}.${b}.2`;
    }
  }
  await sh(['ip', 'netns', 'add', ns]);
  await sh(['ip', 'link', 'add', vethRoot, 'type', 'veth', 'peer', 'name', vethNs]);
  await sh(['ip', 'link', 'set', vethNs, 'netns', ns]);
  await sh(['sysctl', '-q', '-w', `net.ipv6.conf.${vethRoot}.disable_ipv6=1`]);
  await sh(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${vethNs}.disable_ipv6=1`]);
  await sh(['ip', 'addr', 'add', `${rootAddr}/30`, 'dev', vethRoot]);
  await sh(['ip', 'link', 'set', vethRoot, 'up']);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', vethNs]);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', vethNs, 'up']);
  await sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  sim = await startSimulator({
    cameras: 2,
    bind: rootAddr,
    motionSchedule: null,
    controlApi: false,
    discovery: { wsDiscovery: true, mdns: true, interfaceAddress: rootAddr },
  });
});

afterAll(async () => {
  await sim?.close();
  await run('ip', ['netns', 'del', ns], 10_000);
  await run('ip', ['link', 'del', vethRoot], 10_000);
});

it('a probe inside the namespace finds both cameras by WS-Discovery and mDNS', async () => {
  const cams = sim!.cameras;
  const r = await run(
    'ip',
    ['netns', 'exec', ns, '/usr/bin/python3', probeScript, nsAddr, '3702', '5353', '2'],
    20_000,
  );
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as {
    wsd: Array<{ xaddrs: string; scopes: string[]; endpoint: string; relates: boolean }>;
    mdns: Array<{
      type: string;
      name: string;
      target?: string;
      port?: number;
      address?: string;
      txt?: string[];
    }>;
    deviceStatus: number[];
  };
  expect(out.wsd.map((m) => m.xaddrs).sort()).toEqual(cams.map((c) => c.onvifDeviceUrl).sort());
  for (const cam of cams) {
    const m = out.wsd.find((x) => x.xaddrs === cam.onvifDeviceUrl)!;
    expect(m.scopes).toContain(`onvif://www.onvif.org/name/${cam.name}`);
    expect(m.endpoint).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(m.relates).toBe(true);
  }
  expect(out.deviceStatus).toEqual([200, 200]);
  const ptr = out.mdns.filter((x) => x.type === 'PTR' && x.name === '_axis-video._tcp.local');
  expect(ptr).toHaveLength(2);
  for (const cam of cams) {
    const srv = out.mdns.find((x) => x.type === 'SRV' && x.port === cam.httpPort)!;
    expect(srv.target).toBe(`${cam.name}.local`);
    expect(out.mdns.find((x) => x.type === 'A' && x.name === `${cam.name}.local`)?.address).toBe(rootAddr);
    const txt = out.mdns.find((x) => x.type === 'TXT' && x.name === srv.name)!;
    expect(txt.txt).toEqual([`macaddress=${cam.serial}`]);
  }
}, 30_000);

it('on loopback, answers unicast WS-Discovery probes and mDNS queries sent to its address', async () => {
  const dgram = await import('node:dgram');
  const wsPort = 20_000 + (randomBytes(2).readUInt16BE(0) % 20_000);
  const local = await startSimulator({
    cameras: 1,
    motionSchedule: null,
    controlApi: false,
    discovery: { wsDiscovery: true, mdns: true, wsDiscoveryPort: wsPort, mdnsPort: wsPort + 1 },
  });
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    const probe =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">' +
      '<s:Header><a:MessageID>urn:uuid:1</a:MessageID></s:Header><s:Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery"/></s:Body></s:Envelope>';
    socket.send(probe, wsPort, '127.0.0.1');
    const query = Buffer.from(
      '0007000000010000000000000b5f617869732d766964656f045f746370056c6f63616c00000c0001',
      'hex',
    );
    socket.send(query, wsPort + 1, '127.0.0.1');
    for (let i = 0; i < 50 && replies.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const text = replies.map((r) => r.toString('latin1')).join('\n');
    expect(text).toContain(`<d:XAddrs>${local.cameras[0]!.onvifDeviceUrl}</d:XAddrs>`);
    const dns = replies.find((r) => r.readUInt16BE(0) === 7)!;
    expect(dns.readUInt16BE(6)).toBe(4);
  } finally {
    socket.close();
    await local.close();
  }
});
