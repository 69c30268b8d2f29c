// ONVIF PTZ service (ver20 PTZ WSDL, ONVIF PTZ Service Specification §5.3-5.7) for cameras
// configured as PTZ: node and configuration in generic spaces, continuous/absolute/relative moves,
// stop, status, presets and home position. Motion is modelled by the camera's PtzState.
import type { PtzVector } from '../camera/ptz-state.js';
import { NS, faults, parseXsDurationMs, SoapFaultError, xsDateTime } from './soap.js';
import { child, childText, escapeXml as x, type XmlElement } from './xml.js';
import { opKey, type OnvifContext, type OnvifHandlerTable } from './onvif-context.js';

export const PTZ_NODE_TOKEN = 'PtzNode_1';
export const PTZ_CONFIG_TOKEN = 'PtzConfig_1';

const SPACE = 'http://www.onvif.org/ver10/tptz';
const ABS_PT = `${SPACE}/PanTiltSpaces/PositionGenericSpace`;
const ABS_Z = `${SPACE}/ZoomSpaces/PositionGenericSpace`;
const REL_PT = `${SPACE}/PanTiltSpaces/TranslationGenericSpace`;
const REL_Z = `${SPACE}/ZoomSpaces/TranslationGenericSpace`;
const VEL_PT = `${SPACE}/PanTiltSpaces/VelocityGenericSpace`;
const VEL_Z = `${SPACE}/ZoomSpaces/VelocityGenericSpace`;
const SPEED_PT = `${SPACE}/PanTiltSpaces/GenericSpeedSpace`;
const SPEED_Z = `${SPACE}/ZoomSpaces/ZoomGenericSpeedSpace`;

const range = (min: number, max: number): string => `<tt:Min>${min}</tt:Min><tt:Max>${max}</tt:Max>`;
const space2 = (tag: string, uri: string, min: number, max: number): string =>
  `<tt:${tag}><tt:URI>${uri}</tt:URI><tt:XRange>${range(min, max)}</tt:XRange><tt:YRange>${range(min, max)}</tt:YRange></tt:${tag}>`;
const space1 = (tag: string, uri: string, min: number, max: number): string =>
  `<tt:${tag}><tt:URI>${uri}</tt:URI><tt:XRange>${range(min, max)}</tt:XRange></tt:${tag}>`;

function nodeXml(tag: string, presetCount: number): string {
  return (
    `<${tag} token="${PTZ_NODE_TOKEN}" FixedHomePosition="false"><tt:Name>${PTZ_NODE_TOKEN}</tt:Name>` +
    `<tt:SupportedPTZSpaces>${space2('AbsolutePanTiltPositionSpace', ABS_PT, -1, 1)}` +
    `${space1('AbsoluteZoomPositionSpace', ABS_Z, 0, 1)}${space2('RelativePanTiltTranslationSpace', REL_PT, -1, 1)}` +
    `${space1('RelativeZoomTranslationSpace', REL_Z, -1, 1)}${space2('ContinuousPanTiltVelocitySpace', VEL_PT, -1, 1)}` +
    `${space1('ContinuousZoomVelocitySpace', VEL_Z, -1, 1)}${space1('PanTiltSpeedSpace', SPEED_PT, 0, 1)}` +
    `${space1('ZoomSpeedSpace', SPEED_Z, 0, 1)}</tt:SupportedPTZSpaces>` +
    `<tt:MaximumNumberOfPresets>${presetCount}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>` +
    `</${tag}>`
  );
}

export function ptzConfigurationXml(tag: string): string {
  return (
    `<${tag} token="${PTZ_CONFIG_TOKEN}"><tt:Name>${PTZ_CONFIG_TOKEN}</tt:Name><tt:UseCount>2</tt:UseCount>` +
    `<tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${ABS_PT}</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>${ABS_Z}</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultRelativePanTiltTranslationSpace>${REL_PT}</tt:DefaultRelativePanTiltTranslationSpace>` +
    `<tt:DefaultRelativeZoomTranslationSpace>${REL_Z}</tt:DefaultRelativeZoomTranslationSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>${VEL_PT}</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>${VEL_Z}</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="${SPEED_PT}"/><tt:Zoom x="1" space="${SPEED_Z}"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>${ABS_PT}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange>` +
    `<tt:YRange>${range(-1, 1)}</tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>${ABS_Z}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:Range></tt:ZoomLimits>` +
    `</${tag}>`
  );
}

function num(el: XmlElement | undefined, attr: string): number | undefined {
  const v = el?.attrs[attr];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new SoapFaultError(faults.invalidArg(`${attr} is not a number`));
  return n;
}

/** Reads <PanTilt x y/><Zoom x/> under `el` into a partial vector. */
function vectorOf(el: XmlElement | undefined): Partial<PtzVector> {
  const out: Partial<PtzVector> = {};
  const pt = child(el, 'PanTilt');
  const z = child(el, 'Zoom');
  const pan = num(pt, 'x');
  const tilt = num(pt, 'y');
  const zoom = num(z, 'x');
  if (pan !== undefined) out.pan = pan;
  if (tilt !== undefined) out.tilt = tilt;
  if (zoom !== undefined) out.zoom = zoom;
  return out;
}

function vectorXml(tag: string, v: PtzVector): string {
  return (
    `<${tag}><tt:PanTilt x="${v.pan.toFixed(4)}" y="${v.tilt.toFixed(4)}" space="${ABS_PT}"/>` +
    `<tt:Zoom x="${v.zoom.toFixed(4)}" space="${ABS_Z}"/></${tag}>`
  );
}

function ptzOf(ctx: OnvifContext): NonNullable<OnvifContext['device']['ptz']> {
  const ptz = ctx.device.ptz;
  if (ptz === undefined) throw new SoapFaultError(faults.actionNotSupported('PTZ'));
  const token = childText(ctx.op, 'ProfileToken');
  if (token !== undefined && !ctx.device.profiles.some((p) => p.token === token)) {
    throw new SoapFaultError(faults.invalidArg(`no profile ${token}`, 'ter:NoProfile'));
  }
  return ptz;
}

const HOME = 'home';

export function addPtzService(table: OnvifHandlerTable): void {
  const add = (op: string, h: (ctx: OnvifContext) => string): void => void table.set(opKey(NS.tptz, op), h);
  add('GetNodes', (ctx) => {
    ptzOf(ctx);
    return `<tptz:GetNodesResponse>${nodeXml('tptz:PTZNode', 100)}</tptz:GetNodesResponse>`;
  });
  add('GetNode', (ctx) => {
    ptzOf(ctx);
    if (childText(ctx.op, 'NodeToken') !== PTZ_NODE_TOKEN)
      throw new SoapFaultError(faults.invalidArg('no such node', 'ter:NoEntity'));
    return `<tptz:GetNodeResponse>${nodeXml('tptz:PTZNode', 100)}</tptz:GetNodeResponse>`;
  });
  add('GetConfigurations', (ctx) => {
    ptzOf(ctx);
    return `<tptz:GetConfigurationsResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
  });
  add('GetConfiguration', (ctx) => {
    ptzOf(ctx);
    return `<tptz:GetConfigurationResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationResponse>`;
  });
  add('ContinuousMove', (ctx) => {
    const ptz = ptzOf(ctx);
    const v = vectorOf(child(ctx.op, 'Velocity'));
    const timeout = childText(ctx.op, 'Timeout');
    const timeoutMs = timeout === undefined ? 10_000 : parseXsDurationMs(timeout);
    if (timeoutMs === undefined) throw new SoapFaultError(faults.invalidArg('bad Timeout'));
    ptz.continuousMove({ pan: v.pan ?? 0, tilt: v.tilt ?? 0, zoom: v.zoom ?? 0 }, timeoutMs);
    return '<tptz:ContinuousMoveResponse/>';
  });
  add('AbsoluteMove', (ctx) => {
    ptzOf(ctx).absoluteMove(vectorOf(child(ctx.op, 'Position')), vectorOf(child(ctx.op, 'Speed')));
    return '<tptz:AbsoluteMoveResponse/>';
  });
  add('RelativeMove', (ctx) => {
    ptzOf(ctx).relativeMove(vectorOf(child(ctx.op, 'Translation')), vectorOf(child(ctx.op, 'Speed')));
    return '<tptz:RelativeMoveResponse/>';
  });
  add('Stop', (ctx) => {
    ptzOf(ctx).stop();
    return '<tptz:StopResponse/>';
  });
  add('GetStatus', (ctx) => {
    const s = ptzOf(ctx).status();
    return (
      `<tptz:GetStatusResponse><tptz:PTZStatus>${vectorXml('tt:Position', s.position)}<tt:MoveStatus>` +
      `<tt:PanTilt>${s.panTiltMoving ? 'MOVING' : 'IDLE'}</tt:PanTilt><tt:Zoom>${s.zoomMoving ? 'MOVING' : 'IDLE'}</tt:Zoom>` +
      `</tt:MoveStatus><tt:UtcTime>${xsDateTime(s.utcMs)}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
    );
  });
  add('GetPresets', (ctx) => {
    const presets = ptzOf(ctx)
      .listPresets()
      .filter((p) => p.token !== HOME)
      .map(
        (p) =>
          `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name>${vectorXml('tt:PTZPosition', p.position)}</tptz:Preset>`,
      )
      .join('');
    return `<tptz:GetPresetsResponse>${presets}</tptz:GetPresetsResponse>`;
  });
  add('SetPreset', (ctx) => {
    const name = childText(ctx.op, 'PresetName') ?? '';
    const requested = childText(ctx.op, 'PresetToken');
    const ptz = ptzOf(ctx);
    if (requested !== undefined && !ptz.listPresets().some((p) => p.token === requested)) {
      throw new SoapFaultError(faults.invalidArg(`no preset ${requested}`, 'ter:NoToken'));
    }
    if (name.length > 64)
      throw new SoapFaultError(faults.invalidArg('PresetName too long', 'ter:InvalidPresetName'));
    const token = ptz.setPreset(name === '' ? 'Preset' : name, requested);
    if (token === undefined)
      throw new SoapFaultError(faults.invalidArg('preset table full', 'ter:TooManyPresets'));
    return `<tptz:SetPresetResponse><tptz:PresetToken>${x(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
  });
  add('GotoPreset', (ctx) => {
    const token = childText(ctx.op, 'PresetToken') ?? '';
    if (token === HOME || !ptzOf(ctx).gotoPreset(token, vectorOf(child(ctx.op, 'Speed')))) {
      throw new SoapFaultError(faults.invalidArg(`no preset ${token}`, 'ter:NoToken'));
    }
    return '<tptz:GotoPresetResponse/>';
  });
  add('RemovePreset', (ctx) => {
    const token = childText(ctx.op, 'PresetToken') ?? '';
    if (token === HOME || !ptzOf(ctx).removePreset(token)) {
      throw new SoapFaultError(faults.invalidArg(`no preset ${token}`, 'ter:NoToken'));
    }
    return '<tptz:RemovePresetResponse/>';
  });
  add('SetHomePosition', (ctx) => {
    ptzOf(ctx).setPreset(HOME, HOME);
    return '<tptz:SetHomePositionResponse/>';
  });
  add('GotoHomePosition', (ctx) => {
    const ptz = ptzOf(ctx);
    if (!ptz.gotoPreset(HOME, vectorOf(child(ctx.op, 'Speed'))))
      ptz.absoluteMove({ pan: 0, tilt: 0, zoom: 0 });
    return '<tptz:GotoHomePositionResponse/>';
  });
  add(
    'GetServiceCapabilities',
    () =>
      '<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/></tptz:GetServiceCapabilitiesResponse>',
  );
}
