// ONVIF Event service (ver10 events WSDL, ONVIF Core §9.1-9.6; WS-BaseNotification for Renew and
// Unsubscribe): event properties, PullPoint subscriptions with long-poll PullMessages, and the
// messages for motion (tns1:VideoSource/MotionAlarm), digital inputs and relays.
import type { CameraEvent } from '../camera/camera-events.js';
import { MAX_PULL_WAIT_MS, type PullPointSubscription } from './pull-point-manager.js';
import { NS, faults, parseTerminationTime, parseXsDurationMs, SoapFaultError, xsDateTime } from './soap.js';
import { child, childText, escapeXml as x } from './xml.js';
import { opKey, ONVIF_PATHS, type OnvifContext, type OnvifHandlerTable } from './onvif-context.js';

export const DEFAULT_TERMINATION_MS = 60_000;
/** Longest subscription lifetime a client may ask for. */
export const MAX_TERMINATION_MS = 3600_000;
const CONCRETE_SET = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';

function item(name: string, type: string): string {
  return `<tt:SimpleItemDescription Name="${name}" Type="${type}"/>`;
}

function description(source: string, sourceType: string, data: string, dataType: string): string {
  return (
    `<tt:MessageDescription IsProperty="true"><tt:Source>${item(source, sourceType)}</tt:Source>` +
    `<tt:Data>${item(data, dataType)}</tt:Data></tt:MessageDescription>`
  );
}

function getEventProperties(): string {
  return (
    `<tev:GetEventPropertiesResponse>` +
    `<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>` +
    `<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet>` +
    `<tns1:VideoSource><tns1:MotionAlarm wstop:topic="true">` +
    `${description('Source', 'tt:ReferenceToken', 'State', 'xsd:boolean')}</tns1:MotionAlarm></tns1:VideoSource>` +
    `<tns1:Device><tns1:Trigger><tns1:DigitalInput wstop:topic="true">` +
    `${description('InputToken', 'tt:ReferenceToken', 'LogicalState', 'xsd:boolean')}</tns1:DigitalInput>` +
    `<tns1:Relay wstop:topic="true">${description('RelayToken', 'tt:ReferenceToken', 'LogicalState', 'tt:RelayLogicalState')}` +
    `</tns1:Relay></tns1:Trigger></tns1:Device></wstop:TopicSet>` +
    `<wsnt:TopicExpressionDialect>${CONCRETE_SET}</wsnt:TopicExpressionDialect>` +
    `<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
    `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
    `<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation>` +
    `</tev:GetEventPropertiesResponse>`
  );
}

export function notificationXml(e: CameraEvent, subscriptionUrl: string): string {
  return (
    `<wsnt:NotificationMessage><wsnt:SubscriptionReference><wsa:Address>${x(subscriptionUrl)}</wsa:Address>` +
    `</wsnt:SubscriptionReference><wsnt:Topic Dialect="${CONCRETE_SET}">${e.topic}</wsnt:Topic><wsnt:Message>` +
    `<tt:Message UtcTime="${xsDateTime(e.utcMs)}" PropertyOperation="${e.property}">` +
    `<tt:Source><tt:SimpleItem Name="${x(e.source.name)}" Value="${x(e.source.value)}"/></tt:Source>` +
    `<tt:Data><tt:SimpleItem Name="${x(e.data.name)}" Value="${x(e.data.value)}"/></tt:Data>` +
    `</tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

function subscriptionUrl(ctx: OnvifContext, id: number): string {
  return `${ctx.device.urls.httpBase}${ONVIF_PATHS.subscriptionPrefix}${id}`;
}

/** Topic filter of a CreatePullPointSubscription: "a|b" concrete topics (prefix match). */
function topicsOf(ctx: OnvifContext): string[] {
  const expr = child(child(ctx.op, 'Filter'), 'TopicExpression')?.text.trim() ?? '';
  return expr
    .split('|')
    .map((t) => t.trim().replace(/\/\/\.$/, ''))
    .filter((t) => t !== '');
}

function termination(ctx: OnvifContext, tag: string): number {
  const now = ctx.device.clock.nowMs();
  const text = childText(ctx.op, tag);
  const at =
    text === undefined || text === '' ? now + DEFAULT_TERMINATION_MS : parseTerminationTime(text, now);
  if (at === undefined || at <= now) throw new SoapFaultError(faults.invalidArg(`bad ${tag}`));
  return Math.min(at, now + MAX_TERMINATION_MS);
}

function createPullPointSubscription(ctx: OnvifContext): string {
  const sub = ctx.pullPoints.create(termination(ctx, 'InitialTerminationTime'), topicsOf(ctx));
  const now = ctx.device.clock.nowMs();
  return (
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>` +
    `${x(subscriptionUrl(ctx, sub.id))}</wsa:Address></tev:SubscriptionReference>` +
    `<wsnt:CurrentTime>${xsDateTime(now)}</wsnt:CurrentTime>` +
    `<wsnt:TerminationTime>${xsDateTime(sub.terminationMs)}</wsnt:TerminationTime>` +
    `</tev:CreatePullPointSubscriptionResponse>`
  );
}

function subscriptionOf(ctx: OnvifContext): PullPointSubscription {
  const prefix = ONVIF_PATHS.subscriptionPrefix;
  const id = ctx.path.startsWith(prefix) ? Number(ctx.path.slice(prefix.length)) : NaN;
  const sub = Number.isInteger(id) ? ctx.pullPoints.get(id) : undefined;
  if (sub === undefined) {
    throw new SoapFaultError({
      status: 400,
      code: 'Sender',
      subcodes: ['ter:InvalidArgVal', 'ter:ResourceUnknown'],
      reason: 'unknown or expired subscription',
    });
  }
  return sub;
}

async function pullMessages(ctx: OnvifContext): Promise<string> {
  const sub = subscriptionOf(ctx);
  const timeoutText = childText(ctx.op, 'Timeout') ?? 'PT0S';
  const timeoutMs = parseXsDurationMs(timeoutText);
  const limit = Number(childText(ctx.op, 'MessageLimit') ?? '100');
  if (timeoutMs === undefined || !Number.isInteger(limit) || limit < 1) {
    throw new SoapFaultError(faults.invalidArg('bad Timeout or MessageLimit'));
  }
  const events = await ctx.pullPoints.pull(sub, Math.min(timeoutMs, MAX_PULL_WAIT_MS), limit, ctx.signal);
  const now = ctx.device.clock.nowMs();
  const url = subscriptionUrl(ctx, sub.id);
  return (
    `<tev:PullMessagesResponse><tev:CurrentTime>${xsDateTime(now)}</tev:CurrentTime>` +
    `<tev:TerminationTime>${xsDateTime(sub.terminationMs)}</tev:TerminationTime>` +
    events.map((e) => notificationXml(e, url)).join('') +
    `</tev:PullMessagesResponse>`
  );
}

function renew(ctx: OnvifContext): string {
  const sub = subscriptionOf(ctx);
  ctx.pullPoints.renew(sub, termination(ctx, 'TerminationTime'));
  return (
    `<wsnt:RenewResponse><wsnt:TerminationTime>${xsDateTime(sub.terminationMs)}</wsnt:TerminationTime>` +
    `<wsnt:CurrentTime>${xsDateTime(ctx.device.clock.nowMs())}</wsnt:CurrentTime></wsnt:RenewResponse>`
  );
}

function unsubscribe(ctx: OnvifContext): string {
  ctx.pullPoints.remove(subscriptionOf(ctx).id);
  return '<wsnt:UnsubscribeResponse/>';
}

function setSynchronizationPoint(ctx: OnvifContext): string {
  const sub = subscriptionOf(ctx);
  for (const e of ctx.device.events.snapshot(ctx.device.clock.nowMs())) sub.queue.push(e);
  sub.waiter?.();
  return '<tev:SetSynchronizationPointResponse/>';
}

export function addEventService(table: OnvifHandlerTable): void {
  table.set(opKey(NS.tev, 'GetEventProperties'), getEventProperties);
  table.set(opKey(NS.tev, 'CreatePullPointSubscription'), createPullPointSubscription);
  table.set(opKey(NS.tev, 'PullMessages'), pullMessages);
  table.set(opKey(NS.tev, 'SetSynchronizationPoint'), setSynchronizationPoint);
  table.set(opKey(NS.wsnt, 'Renew'), renew);
  table.set(opKey(NS.wsnt, 'Unsubscribe'), unsubscribe);
  table.set(
    opKey(NS.tev, 'GetServiceCapabilities'),
    () =>
      `<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" ` +
      `WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" ` +
      `MaxPullPoints="32" PersistentNotificationStorage="false"/></tev:GetServiceCapabilitiesResponse>`,
  );
}
