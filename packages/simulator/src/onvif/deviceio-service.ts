// ONVIF DeviceIO service (ver10 deviceIO WSDL, ONVIF DeviceIO Service Specification §5.5-5.7):
// relay outputs (list, set state) and digital inputs. State lives in the camera's IoState, which
// also raises the Relay and DigitalInput events.
import { inputToken, relayToken } from '../camera/io-state.js';
import { NS, faults, SoapFaultError } from './soap.js';
import { childText } from './xml.js';
import { opKey, type OnvifContext, type OnvifHandlerTable } from './onvif-context.js';

export function relayOutputsXml(ctx: OnvifContext, prefix: 'tds' | 'tmd'): string {
  let out = '';
  for (let i = 0; i < ctx.device.io.outputCount; i++) {
    out +=
      `<${prefix}:RelayOutputs token="${relayToken(i)}"><tt:Properties><tt:Mode>Bistable</tt:Mode>` +
      `<tt:DelayTime>PT0S</tt:DelayTime><tt:IdleState>open</tt:IdleState></tt:Properties></${prefix}:RelayOutputs>`;
  }
  return out;
}

/** Parses RelayOutputToken and LogicalState and applies them; shared with the device service. */
export function setRelayOutputState(ctx: OnvifContext): void {
  const token = childText(ctx.op, 'RelayOutputToken') ?? '';
  const state = childText(ctx.op, 'LogicalState');
  const index = Array.from({ length: ctx.device.io.outputCount }, (_, i) => relayToken(i)).indexOf(token);
  if (index < 0)
    throw new SoapFaultError(faults.invalidArg(`unknown relay output ${token}`, 'ter:RelayToken'));
  if (state !== 'active' && state !== 'inactive') {
    throw new SoapFaultError(faults.invalidArg('LogicalState must be active or inactive'));
  }
  ctx.device.io.setOutput(index, state === 'active');
}

function getDigitalInputs(ctx: OnvifContext): string {
  let out = '';
  for (let i = 0; i < ctx.device.io.inputCount; i++) {
    out += `<tmd:DigitalInputs token="${inputToken(i)}" IdleState="open"/>`;
  }
  return `<tmd:GetDigitalInputsResponse>${out}</tmd:GetDigitalInputsResponse>`;
}

function getServiceCapabilities(ctx: OnvifContext): string {
  const io = ctx.device.io;
  return (
    `<tmd:GetServiceCapabilitiesResponse><tmd:Capabilities VideoSources="1" VideoOutputs="0" ` +
    `AudioSources="${ctx.device.identity.audio ? 1 : 0}" AudioOutputs="0" RelayOutputs="${io.outputCount}" ` +
    `DigitalInputs="${io.inputCount}" SerialPorts="0"/></tmd:GetServiceCapabilitiesResponse>`
  );
}

export function addDeviceIoService(table: OnvifHandlerTable): void {
  table.set(opKey(NS.tmd, 'GetRelayOutputs'), (ctx) => {
    return `<tmd:GetRelayOutputsResponse>${relayOutputsXml(ctx, 'tmd')}</tmd:GetRelayOutputsResponse>`;
  });
  table.set(opKey(NS.tmd, 'SetRelayOutputState'), (ctx) => {
    setRelayOutputState(ctx);
    return '<tmd:SetRelayOutputStateResponse/>';
  });
  table.set(opKey(NS.tmd, 'GetDigitalInputs'), getDigitalInputs);
  table.set(opKey(NS.tmd, 'GetServiceCapabilities'), getServiceCapabilities);
}
