import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { groupVersionKind, int32, time } from './primitives.js';

// core/v1 Event: what `kubectl describe` lists under "Events:" and
// `kubectl get events` prints. Events are top-level objects with no spec or
// status; the reporting component writes the whole object.

export const EventSourceSchema = Type.Object({
  component: Type.Optional(Type.String({ description: 'Component from which the event is generated.' })),
  host: Type.Optional(Type.String({ description: 'Node name on which the event is generated.' })),
}, {
  title: 'io.k8s.api.core.v1.EventSource',
  description: 'EventSource contains information for an event.',
});

export const EventSeriesSchema = Type.Object({
  count: Type.Optional(int32('Number of occurrences in this series up to the last heartbeat time')),
  lastObservedTime: Type.Optional(time('Time of the last occurrence observed')),
}, {
  title: 'io.k8s.api.core.v1.EventSeries',
  description: 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
});

export const EventSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  involvedObject: Type.Optional(ObjectReferenceSchema),
  reason: Type.Optional(Type.String({ description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status." })),
  message: Type.Optional(Type.String({ description: 'A human-readable description of the status of this operation.' })),
  source: Type.Optional(EventSourceSchema),
  firstTimestamp: Type.Optional(time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)')),
  lastTimestamp: Type.Optional(time('The time at which the most recent occurrence of this event was recorded.')),
  count: Type.Optional(int32('The number of times this event has occurred.')),
  type: Type.Optional(Type.String({ description: 'Type of this event (Normal, Warning), new types could be added in the future' })),
  eventTime: Type.Optional(time('Time when this Event was first observed.')),
  series: Type.Optional(EventSeriesSchema),
  action: Type.Optional(Type.String({ description: 'What action was taken/failed regarding to the Regarding object.' })),
  related: Type.Optional(ObjectReferenceSchema),
  reportingComponent: Type.Optional(Type.String({ description: 'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.' })),
  reportingInstance: Type.Optional(Type.String({ description: 'ID of the controller instance, e.g. `kubelet-xyzf`.' })),
}, {
  title: 'io.k8s.api.core.v1.Event',
  description: 'Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Event'),
});

export type EventSource = Static<typeof EventSourceSchema>;
export type EventSeries = Static<typeof EventSeriesSchema>;
export type Event = WithMetadata<Static<typeof EventSchema>>;
