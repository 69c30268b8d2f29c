// Digital inputs and relay outputs of one camera. Every change goes through the camera's event bus
// (tns1:Device/Trigger/DigitalInput and tns1:Device/Trigger/Relay), so ONVIF and Axis-style clients
// see the same state. Output pulses (Axis port.cgi "1:/300\") end on the injected clock.
import type { SimulatorClock } from '../simulator-clock.js';
import { TOPIC_DIGITAL_INPUT, TOPIC_RELAY, type CameraEventBus } from './camera-events.js';

export const inputToken = (i: number): string => `DigitalInput_${i + 1}`;
export const relayToken = (i: number): string => `RelayOutput_${i + 1}`;

export class IoState {
  private readonly inputs: boolean[];
  private readonly outputs: boolean[];
  private readonly pulseTimers: unknown[];

  constructor(
    inputCount: number,
    outputCount: number,
    private readonly bus: CameraEventBus,
    private readonly clock: SimulatorClock,
  ) {
    this.inputs = new Array<boolean>(inputCount).fill(false);
    this.outputs = new Array<boolean>(outputCount).fill(false);
    this.pulseTimers = new Array<unknown>(outputCount).fill(undefined);
    const now = clock.nowMs();
    for (let i = 0; i < inputCount; i++) {
      bus.init(
        TOPIC_DIGITAL_INPUT,
        { name: 'InputToken', value: inputToken(i) },
        { name: 'LogicalState', value: 'false' },
        now,
      );
    }
    for (let i = 0; i < outputCount; i++) {
      bus.init(
        TOPIC_RELAY,
        { name: 'RelayToken', value: relayToken(i) },
        { name: 'LogicalState', value: 'inactive' },
        now,
      );
    }
  }

  get inputCount(): number {
    return this.inputs.length;
  }

  get outputCount(): number {
    return this.outputs.length;
  }

  inputStates(): boolean[] {
    return [...this.inputs];
  }

  outputStates(): boolean[] {
    return [...this.outputs];
  }

  /** index is 0-based; returns false when out of range. */
  setInput(index: number, active: boolean): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.inputs.length) return false;
    this.inputs[index] = active;
    this.bus.set(
      TOPIC_DIGITAL_INPUT,
      { name: 'InputToken', value: inputToken(index) },
      { name: 'LogicalState', value: String(active) },
      this.clock.nowMs(),
    );
    return true;
  }

  /** Sets a relay; with pulseMs it returns to the opposite state after that long. */
  setOutput(index: number, active: boolean, pulseMs?: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.outputs.length) return false;
    this.clock.clearTimeout(this.pulseTimers[index]);
    this.pulseTimers[index] = undefined;
    this.outputs[index] = active;
    this.bus.set(
      TOPIC_RELAY,
      { name: 'RelayToken', value: relayToken(index) },
      { name: 'LogicalState', value: active ? 'active' : 'inactive' },
      this.clock.nowMs(),
    );
    if (pulseMs !== undefined && pulseMs > 0) {
      this.pulseTimers[index] = this.clock.setTimeout(() => this.setOutput(index, !active), pulseMs);
    }
    return true;
  }

  dispose(): void {
    for (const t of this.pulseTimers) this.clock.clearTimeout(t);
  }
}
