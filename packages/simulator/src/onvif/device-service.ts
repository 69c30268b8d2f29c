// ONVIF Device service (ver10 device WSDL, ONVIF Core §8): date and time, device information,
// capabilities, services, network interfaces, hostname, scopes, and the relay operations the device
// service also carries (§8.5). Element order follows the schema, which strict clients check.
import { NS, faults, SoapFaultError } from './soap.js';
import { escapeXml as x } from './xml.js';
import { childText } from './xml.js';
import { opKey, ONVIF_PATHS, type OnvifContext, type OnvifHandlerTable } from './onvif-context.js';
import { relayOutputsXml, setRelayOutputState } from './deviceio-service.js';

function dateTimeXml(ms: number): string {
  const d = new Date(ms);
  return (
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute>` +
    `<tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year>` +
    `<tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`
  );
}

function getSystemDateAndTime(ctx: OnvifContext): string {
  const now = ctx.device.clock.nowMs();
  return (
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>` +
    `<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>` +
    `<tt:UTCDateTime>${dateTimeXml(now)}</tt:UTCDateTime><tt:LocalDateTime>${dateTimeXml(now)}</tt:LocalDateTime>` +
    `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
  );
}

function getDeviceInformation(ctx: OnvifContext): string {
  const id = ctx.device.identity;
  return (
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x(id.manufacturer)}</tds:Manufacturer>` +
    `<tds:Model>${x(id.model)}</tds:Model><tds:FirmwareVersion>${x(id.firmwareVersion)}</tds:FirmwareVersion>` +
    `<tds:SerialNumber>${x(id.serial)}</tds:SerialNumber><tds:HardwareId>${x(id.hardwareId)}</tds:HardwareId>` +
    `</tds:GetDeviceInformationResponse>`
  );
}

function serviceUrl(ctx: OnvifContext, path: string): string {
  return `${ctx.device.urls.httpBase}${path}`;
}

function getCapabilities(ctx: OnvifContext): string {
  const d = ctx.device;
  const ptz =
    d.ptz !== undefined ? `<tt:PTZ><tt:XAddr>${x(serviceUrl(ctx, ONVIF_PATHS.ptz))}</tt:XAddr></tt:PTZ>` : '';
  return (
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
    `<tt:Device><tt:XAddr>${x(serviceUrl(ctx, ONVIF_PATHS.device))}</tt:XAddr>` +
    `<tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>` +
    `<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
    `<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>false</tt:DiscoveryBye>` +
    `<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>` +
    `<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
    `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System>` +
    `<tt:IO><tt:InputConnectors>${d.io.inputCount}</tt:InputConnectors>` +
    `<tt:RelayOutputs>${d.io.outputCount}</tt:RelayOutputs></tt:IO>` +
    `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2>` +
    `<tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig>` +
    `<tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken>` +
    `<tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>` +
    `<tt:Events><tt:XAddr>${x(serviceUrl(ctx, ONVIF_PATHS.events))}</tt:XAddr>` +
    `<tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
    `<tt:WSPullPointSupport>true</tt:WSPullPointSupport>` +
    `<tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport>` +
    `</tt:Events>` +
    `<tt:Media><tt:XAddr>${x(serviceUrl(ctx, ONVIF_PATHS.media))}</tt:XAddr><tt:StreamingCapabilities>` +
    `<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>` +
    `</tt:StreamingCapabilities></tt:Media>${ptz}` +
    `<tt:Extension><tt:DeviceIO><tt:XAddr>${x(serviceUrl(ctx, ONVIF_PATHS.deviceIO))}</tt:XAddr>` +
    `<tt:VideoSources>1</tt:VideoSources><tt:VideoOutputs>0</tt:VideoOutputs>` +
    `<tt:AudioSources>${d.identity.audio ? 1 : 0}</tt:AudioSources><tt:AudioOutputs>0</tt:AudioOutputs>` +
    `<tt:RelayOutputs>${d.io.outputCount}</tt:RelayOutputs></tt:DeviceIO></tt:Extension>` +
    `</tds:Capabilities></tds:GetCapabilitiesResponse>`
  );
}

function getServices(ctx: OnvifContext): string {
  const services: Array<[string, string, number]> = [
    [NS.tds, ONVIF_PATHS.device, 60],
    [NS.trt, ONVIF_PATHS.media, 60],
    [NS.tev, ONVIF_PATHS.events, 60],
    [NS.tmd, ONVIF_PATHS.deviceIO, 60],
  ];
  if (ctx.device.ptz !== undefined) services.push([NS.tptz, ONVIF_PATHS.ptz, 60]);
  const body = services
    .map(
      ([ns, path, minor]) =>
        `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x(serviceUrl(ctx, path))}</tds:XAddr>` +
        `<tds:Version><tt:Major>2</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`,
    )
    .join('');
  return `<tds:GetServicesResponse>${body}</tds:GetServicesResponse>`;
}

function getServiceCapabilities(): string {
  return (
    `<tds:GetServiceCapabilitiesResponse><tds:Capabilities>` +
    `<tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/>` +
    `<tds:Security UsernameToken="true" HttpDigest="true"/>` +
    `<tds:System DiscoveryResolve="false" DiscoveryBye="false" RemoteDiscovery="false" SystemBackup="false"` +
    ` SystemLogging="false" FirmwareUpgrade="false"/>` +
    `</tds:Capabilities></tds:GetServiceCapabilitiesResponse>`
  );
}

function ipv4Of(url: string): string {
  return new URL(url).hostname;
}

function getNetworkInterfaces(ctx: OnvifContext): string {
  const id = ctx.device.identity;
  return (
    `<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>` +
    `<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${x(id.mac)}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
    `<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>${x(ipv4Of(ctx.device.urls.httpBase))}` +
    `</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>` +
    `</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`
  );
}

function getHostname(ctx: OnvifContext): string {
  return (
    `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>` +
    `<tt:Name>${x(ctx.device.identity.name)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`
  );
}

export function deviceScopes(ctx: Pick<OnvifContext, 'device'>): string[] {
  const id = ctx.device.identity;
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    ...(id.ptz ? ['onvif://www.onvif.org/type/ptz'] : []),
    `onvif://www.onvif.org/name/${encodeURIComponent(id.name)}`,
    `onvif://www.onvif.org/hardware/${encodeURIComponent(id.model)}`,
    `onvif://www.onvif.org/MAC/${id.mac}`,
  ];
}

function getScopes(ctx: OnvifContext): string {
  const scopes = deviceScopes(ctx)
    .map(
      (s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`,
    )
    .join('');
  return `<tds:GetScopesResponse>${scopes}</tds:GetScopesResponse>`;
}

function setRelayOutputStateTds(ctx: OnvifContext): string {
  setRelayOutputState(ctx);
  return '<tds:SetRelayOutputStateResponse/>';
}

function getRelayOutputsTds(ctx: OnvifContext): string {
  return `<tds:GetRelayOutputsResponse>${relayOutputsXml(ctx, 'tds')}</tds:GetRelayOutputsResponse>`;
}

function getEndpointReference(ctx: OnvifContext): string {
  const guid = `urn:uuid:${deviceUuid(ctx.device.identity.mac)}`;
  return `<tds:GetEndpointReferenceResponse><tds:GUID>${guid}</tds:GUID></tds:GetEndpointReferenceResponse>`;
}

/** A stable UUID for WS-Discovery and GetEndpointReference, derived from the MAC. */
export function deviceUuid(mac: string): string {
  const hex = mac.replaceAll(':', '').toLowerCase();
  return `a5c1a5c1-0000-4000-8000-${hex.padStart(12, '0')}`;
}

function systemReboot(): string {
  throw new SoapFaultError(faults.actionNotSupported('SystemReboot (use the control API reboot fault)'));
}

/** Operations allowed without credentials (ONVIF Core §5.9.4 access class PRE_AUTH). */
export const PRE_AUTH_OPERATIONS = new Set([
  opKey(NS.tds, 'GetSystemDateAndTime'),
  opKey(NS.tds, 'GetServices'),
  opKey(NS.tds, 'GetServiceCapabilities'),
  opKey(NS.tds, 'GetEndpointReference'),
  opKey(NS.tds, 'GetHostname'),
]);

export function addDeviceService(table: OnvifHandlerTable): void {
  const add = (op: string, h: (ctx: OnvifContext) => string): void => void table.set(opKey(NS.tds, op), h);
  add('GetSystemDateAndTime', getSystemDateAndTime);
  add('GetDeviceInformation', getDeviceInformation);
  add('GetCapabilities', (ctx) => {
    const category = childText(ctx.op, 'Category');
    if (category !== undefined && !['All', 'Device', 'Events', 'Media', 'PTZ', ''].includes(category)) {
      throw new SoapFaultError(faults.invalidArg(`no capabilities for ${category}`, 'ter:NoSuchService'));
    }
    return getCapabilities(ctx);
  });
  add('GetServices', getServices);
  add('GetServiceCapabilities', getServiceCapabilities);
  add('GetNetworkInterfaces', getNetworkInterfaces);
  add('GetHostname', getHostname);
  add('GetScopes', getScopes);
  add('GetEndpointReference', getEndpointReference);
  add('GetRelayOutputs', getRelayOutputsTds);
  add('SetRelayOutputState', setRelayOutputStateTds);
  add('SystemReboot', systemReboot);
}
