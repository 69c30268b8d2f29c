// ONVIF Media service (ver10 media WSDL, ONVIF Media Service Specification §5): profiles, video
// sources and configurations, stream and snapshot URIs, and the text OSD (§5.14) backed by the
// Axis-style overlay parameters. H.265 profiles say Encoding H265 as most Profile S cameras do.
import type { StreamProfile } from '../camera/camera-device.js';
import { OVERLAY_ENABLED, OVERLAY_TEXT } from '../camera/param-store.js';
import { NS, faults, SoapFaultError } from './soap.js';
import { child, childText, descendant, escapeXml as x } from './xml.js';
import { opKey, type OnvifContext, type OnvifHandlerTable } from './onvif-context.js';
import { ptzConfigurationXml } from './ptz-service.js';

export const VIDEO_SOURCE_TOKEN = 'VideoSource_1';
export const VSC_TOKEN = 'VideoSourceConfig_1';
export const OSD_TOKEN = 'OSD_Text_1';

function videoSourceConfigXml(tag: string): string {
  return (
    `<${tag} token="${VSC_TOKEN}"><tt:Name>${VSC_TOKEN}</tt:Name><tt:UseCount>2</tt:UseCount>` +
    `<tt:SourceToken>${VIDEO_SOURCE_TOKEN}</tt:SourceToken>` +
    `<tt:Bounds x="0" y="0" width="1920" height="1080"/></${tag}>`
  );
}

function encoderToken(p: StreamProfile): string {
  return `VideoEncoder_${p.token.split('_')[1]}`;
}

function videoEncoderConfigXml(tag: string, p: StreamProfile): string {
  const codecDetail =
    p.codec === 'h264'
      ? `<tt:H264><tt:GovLength>25</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>`
      : '';
  return (
    `<${tag} token="${encoderToken(p)}"><tt:Name>${encoderToken(p)}</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:Encoding>${p.codec === 'h264' ? 'H264' : 'H265'}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution>` +
    `<tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit>` +
    `<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    codecDetail +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>` +
    `<tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></${tag}>`
  );
}

function audioXml(): string {
  return (
    `<tt:AudioSourceConfiguration token="AudioSourceConfig_1"><tt:Name>AudioSourceConfig_1</tt:Name>` +
    `<tt:UseCount>2</tt:UseCount><tt:SourceToken>AudioSource_1</tt:SourceToken></tt:AudioSourceConfiguration>`
  );
}

function audioEncoderXml(): string {
  return (
    `<tt:AudioEncoderConfiguration token="AudioEncoder_1"><tt:Name>AudioEncoder_1</tt:Name><tt:UseCount>2</tt:UseCount>` +
    `<tt:Encoding>AAC</tt:Encoding><tt:Bitrate>32</tt:Bitrate><tt:SampleRate>16</tt:SampleRate>` +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>` +
    `<tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:AudioEncoderConfiguration>`
  );
}

export function profileXml(ctx: OnvifContext, p: StreamProfile, tag: string): string {
  const audio = ctx.device.identity.audio;
  const ptz = ctx.device.ptz !== undefined ? ptzConfigurationXml('tt:PTZConfiguration') : '';
  return (
    `<${tag} token="${p.token}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>${videoSourceConfigXml('tt:VideoSourceConfiguration')}` +
    (audio ? audioXml() : '') +
    videoEncoderConfigXml('tt:VideoEncoderConfiguration', p) +
    (audio ? audioEncoderXml() : '') +
    `${ptz}</${tag}>`
  );
}

function findProfile(ctx: OnvifContext): StreamProfile {
  const token = childText(ctx.op, 'ProfileToken') ?? '';
  const p = ctx.device.profiles.find((q) => q.token === token);
  if (p === undefined) throw new SoapFaultError(faults.invalidArg(`no profile ${token}`, 'ter:NoProfile'));
  return p;
}

function mediaUri(tag: string, uri: string): string {
  return (
    `<${tag}><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
    `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></${tag}>`
  );
}

function osdXml(ctx: OnvifContext, tag: string): string {
  const params = ctx.device.params;
  if (params.get(OVERLAY_ENABLED) !== 'yes') return '';
  const position = params.get('Image.I0.Text.Position') === 'bottom' ? 'LowerLeft' : 'UpperLeft';
  return (
    `<${tag} token="${OSD_TOKEN}"><tt:VideoSourceConfigurationToken>${VSC_TOKEN}</tt:VideoSourceConfigurationToken>` +
    `<tt:Type>Text</tt:Type><tt:Position><tt:Type>${position}</tt:Type></tt:Position>` +
    `<tt:TextString><tt:Type>Plain</tt:Type><tt:PlainText>${x(params.get(OVERLAY_TEXT) ?? '')}</tt:PlainText>` +
    `</tt:TextString></${tag}>`
  );
}

/** CreateOSD/SetOSD: one plain-text OSD; its text and position go to the overlay parameters. */
function writeOsd(ctx: OnvifContext): void {
  const osd = child(ctx.op, 'OSD');
  if (osd === undefined) throw new SoapFaultError(faults.invalidArg('OSD element missing'));
  const type = childText(osd, 'Type');
  if (type !== undefined && type !== 'Text')
    throw new SoapFaultError(faults.invalidArg('only Text OSDs are supported'));
  const text = descendant(child(osd, 'TextString'), 'PlainText')?.text ?? '';
  const positionType = childText(child(osd, 'Position'), 'Type') ?? 'UpperLeft';
  const params = ctx.device.params;
  if (!params.set(OVERLAY_TEXT, text.slice(0, 256)))
    throw new SoapFaultError(faults.invalidArg('bad OSD text'));
  params.set(OVERLAY_ENABLED, 'yes');
  params.set('Image.I0.Text.Position', positionType.startsWith('Lower') ? 'bottom' : 'top');
}

export function addMediaService(table: OnvifHandlerTable): void {
  const add = (op: string, h: (ctx: OnvifContext) => string): void => void table.set(opKey(NS.trt, op), h);
  add('GetProfiles', (ctx) => {
    const body = ctx.device.profiles.map((p) => profileXml(ctx, p, 'trt:Profiles')).join('');
    return `<trt:GetProfilesResponse>${body}</trt:GetProfilesResponse>`;
  });
  add(
    'GetProfile',
    (ctx) =>
      `<trt:GetProfileResponse>${profileXml(ctx, findProfile(ctx), 'trt:Profile')}</trt:GetProfileResponse>`,
  );
  add(
    'GetVideoSources',
    () =>
      `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE_TOKEN}"><tt:Framerate>25</tt:Framerate>` +
      `<tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></trt:VideoSources>` +
      `</trt:GetVideoSourcesResponse>`,
  );
  add(
    'GetVideoSourceConfigurations',
    () =>
      `<trt:GetVideoSourceConfigurationsResponse>${videoSourceConfigXml('trt:Configurations')}` +
      `</trt:GetVideoSourceConfigurationsResponse>`,
  );
  add('GetVideoEncoderConfigurations', (ctx) => {
    const body = ctx.device.profiles.map((p) => videoEncoderConfigXml('trt:Configurations', p)).join('');
    return `<trt:GetVideoEncoderConfigurationsResponse>${body}</trt:GetVideoEncoderConfigurationsResponse>`;
  });
  add('GetStreamUri', (ctx) => {
    const p = findProfile(ctx);
    const protocol = descendant(child(ctx.op, 'StreamSetup'), 'Protocol')?.text.trim() ?? 'RTSP';
    if (!['RTSP', 'UDP', 'TCP'].includes(protocol)) {
      throw new SoapFaultError(
        faults.invalidArg(`transport ${protocol} not supported`, 'ter:InvalidStreamSetup'),
      );
    }
    return `<trt:GetStreamUriResponse>${mediaUri('trt:MediaUri', p.rtspUrl)}</trt:GetStreamUriResponse>`;
  });
  add('GetSnapshotUri', (ctx) => {
    const p = findProfile(ctx);
    const uri = `${ctx.device.urls.httpBase}/axis-cgi/jpg/image.cgi?resolution=${p.width}x${p.height}`;
    return `<trt:GetSnapshotUriResponse>${mediaUri('trt:MediaUri', uri)}</trt:GetSnapshotUriResponse>`;
  });
  add('GetOSDs', (ctx) => `<trt:GetOSDsResponse>${osdXml(ctx, 'trt:OSDs')}</trt:GetOSDsResponse>`);
  add('GetOSD', (ctx) => {
    const xml = osdXml(ctx, 'trt:OSD');
    if (xml === '' || childText(ctx.op, 'OSDToken') !== OSD_TOKEN) {
      throw new SoapFaultError(faults.invalidArg('no such OSD', 'ter:NoConfig'));
    }
    return `<trt:GetOSDResponse>${xml}</trt:GetOSDResponse>`;
  });
  add('SetOSD', (ctx) => {
    writeOsd(ctx);
    return '<trt:SetOSDResponse/>';
  });
  add('CreateOSD', (ctx) => {
    writeOsd(ctx);
    return `<trt:CreateOSDResponse><trt:OSDToken>${OSD_TOKEN}</trt:OSDToken></trt:CreateOSDResponse>`;
  });
  add('DeleteOSD', (ctx) => {
    ctx.device.params.set(OVERLAY_ENABLED, 'no');
    return '<trt:DeleteOSDResponse/>';
  });
  add(
    'GetOSDOptions',
    () =>
      `<trt:GetOSDOptionsResponse><trt:OSDOptions><tt:MaximumNumberOfOSDs Total="1" PlainText="1"/>` +
      `<tt:Type>Text</tt:Type><tt:PositionOption>UpperLeft</tt:PositionOption>` +
      `<tt:PositionOption>LowerLeft</tt:PositionOption><tt:TextOption><tt:Type>Plain</tt:Type></tt:TextOption>` +
      `</trt:OSDOptions></trt:GetOSDOptionsResponse>`,
  );
  add(
    'GetServiceCapabilities',
    () =>
      `<trt:GetServiceCapabilitiesResponse><trt:Capabilities SnapshotUri="true" Rotation="false" ` +
      `VideoSourceMode="false" OSD="true"><trt:ProfileCapabilities MaximumNumberOfProfiles="2"/>` +
      `<trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true" ` +
      `NonAggregateControl="false" NoRTSPStreaming="false"/></trt:Capabilities></trt:GetServiceCapabilitiesResponse>`,
  );
}
