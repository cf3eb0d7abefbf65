export { HubClient, hubUrl, type ChannelHandlers, type HubClientOptions, type HubStatus, type Subscription } from './HubClient';
export { HubProvider, useHub, useHubStatus } from './HubContext';
export type { Envelope, HubError, HubMessageType, WatchEvent, WatchSubscription } from './envelope';
