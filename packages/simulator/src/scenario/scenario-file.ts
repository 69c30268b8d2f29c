// Scenario files: a JSON timeline of motion, digital inputs and faults for named cameras (or "*"),
// times relative to the simulator start, optionally repeating. Parsed strictly: unknown keys and
// bad values throw MediaError(ARGUS_ERR_SIM_SCENARIO) naming the offending step.
import { readFile } from 'node:fs/promises';
import { MediaError } from '@argus/media';
import { parseFaultSpec, type FaultSpec, type FaultType, FAULT_TYPES } from '../camera/fault-model.js';
import { validateMotionSchedule, type MotionSchedule } from '../camera/motion-controller.js';
import { ERR_SIM_SCENARIO } from '../simulator-errors.js';

export type ScenarioAction =
  | { motion: boolean }
  | { input: { port: number; active: boolean } }
  | { fault: FaultSpec }
  | { clearFaults: true | FaultType }
  | { motionSchedule: MotionSchedule | null };

export type ScenarioStep = ScenarioAction & {
  /** Milliseconds after the start (of each repetition). */
  atMs: number;
  /** A camera name, a list of names, or "*" for every camera. */
  camera: string | string[];
};

export interface Scenario {
  /** Replaces the default motion schedule of every camera (null: no automatic motion). */
  motionSchedule?: MotionSchedule | null;
  /** Start the timeline again this long after each start. */
  repeatEveryMs?: number;
  timeline: ScenarioStep[];
}

export const MAX_SCENARIO_STEPS = 10_000;
const MAX_AT_MS = 7 * 24 * 3600_000;
const ACTIONS = ['motion', 'input', 'fault', 'clearFaults', 'motionSchedule'] as const;

function fail(where: string, message: string): never {
  throw new MediaError(ERR_SIM_SCENARIO, `${where}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseSchedule(where: string, v: unknown): MotionSchedule | null {
  if (v === null) return null;
  if (!isObject(v)) fail(where, 'motionSchedule must be an object or null');
  const s = {
    periodMs: v['periodMs'],
    durationMs: v['durationMs'],
    offsetMs: v['offsetMs'] ?? 0,
  } as MotionSchedule;
  const problem = validateMotionSchedule(s);
  if (problem !== undefined) fail(where, `motionSchedule: ${problem}`);
  return s;
}

function parseStep(v: unknown, i: number): ScenarioStep {
  const where = `timeline[${i}]`;
  if (!isObject(v)) fail(where, 'a step must be an object');
  for (const key of Object.keys(v)) {
    if (key !== 'atMs' && key !== 'camera' && !(ACTIONS as readonly string[]).includes(key))
      fail(where, `unknown key ${key}`);
  }
  const atMs = v['atMs'];
  if (typeof atMs !== 'number' || !Number.isInteger(atMs) || atMs < 0 || atMs > MAX_AT_MS) {
    fail(where, 'atMs must be an integer from 0 to 604800000');
  }
  const camera = v['camera'];
  const names = Array.isArray(camera) ? camera : [camera];
  if (names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) {
    fail(where, 'camera must be a name, a list of names or "*"');
  }
  const present = ACTIONS.filter((a) => a in v);
  if (present.length !== 1) fail(where, `exactly one of ${ACTIONS.join(', ')} is needed`);
  const base = { atMs, camera: camera as string | string[] };
  switch (present[0]) {
    case 'motion':
      if (typeof v['motion'] !== 'boolean') fail(where, 'motion must be true or false');
      return { ...base, motion: v['motion'] };
    case 'input': {
      const inp = v['input'];
      if (
        !isObject(inp) ||
        !Number.isInteger(inp['port']) ||
        (inp['port'] as number) < 1 ||
        typeof inp['active'] !== 'boolean'
      ) {
        fail(where, 'input must be { "port": 1.., "active": true|false }');
      }
      return { ...base, input: { port: inp['port'] as number, active: inp['active'] } };
    }
    case 'fault':
      try {
        return { ...base, fault: parseFaultSpec(v['fault']) };
      } catch (err) {
        return fail(where, (err as Error).message);
      }
    case 'clearFaults': {
      const c = v['clearFaults'];
      if (c !== true && !(typeof c === 'string' && (FAULT_TYPES as readonly string[]).includes(c))) {
        fail(where, 'clearFaults must be true or a fault type');
      }
      return { ...base, clearFaults: c as true | FaultType };
    }
    default:
      return { ...base, motionSchedule: parseSchedule(where, v['motionSchedule']) };
  }
}

/** Validates an already parsed JSON value. */
export function parseScenario(value: unknown): Scenario {
  if (!isObject(value)) fail('scenario', 'must be a JSON object');
  for (const key of Object.keys(value)) {
    if (!['motionSchedule', 'repeatEveryMs', 'timeline'].includes(key))
      fail('scenario', `unknown key ${key}`);
  }
  const timeline = value['timeline'];
  if (!Array.isArray(timeline)) fail('scenario', 'timeline must be an array');
  if (timeline.length > MAX_SCENARIO_STEPS) fail('scenario', `at most ${MAX_SCENARIO_STEPS} steps`);
  const scenario: Scenario = { timeline: timeline.map(parseStep) };
  if ('motionSchedule' in value) scenario.motionSchedule = parseSchedule('scenario', value['motionSchedule']);
  const repeat = value['repeatEveryMs'];
  if (repeat !== undefined) {
    const last = Math.max(0, ...scenario.timeline.map((s) => s.atMs));
    if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1000 || repeat <= last) {
      fail('scenario', 'repeatEveryMs must be an integer >= 1000 and after the last step');
    }
    scenario.repeatEveryMs = repeat;
  }
  return scenario;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return fail('scenario', `cannot read ${file}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('scenario', `invalid JSON: ${(err as Error).message}`);
  }
  return parseScenario(value);
}
