// @argus/simulator: virtual IP cameras for the demo and for every test. startSimulator is the entry
// `argus sim` and `argus demo` call; the rest is exported for tests and tools.
export {
  startSimulator,
  defaultMotionSchedule,
  type RunningSimulator,
  type SimulatorControl,
} from './start-simulator.js';
export type { SimulatorOptions, DiscoveryOptions } from './simulator-options.js';
export { MAX_CAMERAS } from './simulator-options.js';
export type { SimulatorClock } from './simulator-clock.js';
export { systemClock } from './simulator-clock.js';
export type { SimulatedCameraInfo } from './camera/simulated-camera.js';
export type { StreamProfile, StreamName, VideoCodecName } from './camera/camera-device.js';
export { CameraControl, type CameraStateSnapshot } from './control/camera-control.js';
export type { FaultSpec, FaultType, FaultScope, ActiveFault } from './camera/fault-model.js';
export { FAULT_TYPES, parseFaultSpec } from './camera/fault-model.js';
export type { MotionSchedule, MotionWindow } from './camera/motion-controller.js';
export type { CameraEvent, CameraEventTopic } from './camera/camera-events.js';
export { TOPIC_MOTION, TOPIC_DIGITAL_INPUT, TOPIC_RELAY } from './camera/camera-events.js';
export type { EventJson } from './axis/event-endpoints.js';
export type { Scenario, ScenarioStep, ScenarioAction } from './scenario/scenario-file.js';
export { parseScenario, loadScenarioFile } from './scenario/scenario-file.js';
export type { PtzStatus, PtzVector } from './camera/ptz-state.js';
export * from './simulator-errors.js';
