import type { Event } from '../schemas/event.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/identifiers.js';
import type { ResourceStrategy } from './strategy.js';

// The core/v1 Event strategy (pkg/registry/core/event/strategy.go). Written
// through core/v1, an Event gets upstream's legacy validation only: the
// stricter events.k8s.io/v1 rules are not applied to this API, by design of
// the upstream compatibility promise. Events have no defaults and no status.

const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
const ACTION_LENGTH_LIMIT = 128;
const REASON_LENGTH_LIMIT = 128;
const NOTE_LENGTH_LIMIT = 1024;

/** legacyValidateEvent: namespaces must agree; events with eventTime (the new style) must name their reporter. */
export function validateEvent(event: Event): FieldErrors {
  const errors = new FieldErrors();
  const namespace = event.metadata.namespace ?? '';
  const involvedNamespace = event.involvedObject?.namespace ?? '';
  if (!event.eventTime) {
    // An event about a cluster-scoped object lives in no namespace, or in "default" for old clients.
    const agrees = involvedNamespace === '' ? namespace === '' || namespace === 'default' : namespace === involvedNamespace;
    if (!agrees) errors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
    return errors;
  }
  if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') {
    errors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  }
  // Field paths name the Go fields, as upstream's messages do.
  const controller = event.reportingComponent ?? '';
  if (controller === '') errors.required('reportingController');
  errors.invalidEach('reportingController', controller, isQualifiedName(controller));
  const instance = event.reportingInstance ?? '';
  if (instance === '') errors.required('reportingInstance');
  if (instance.length > REPORTING_INSTANCE_LENGTH_LIMIT) errors.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`);
  const action = event.action ?? '';
  if (action === '') errors.required('action');
  if (action.length > ACTION_LENGTH_LIMIT) errors.invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`);
  const reason = event.reason ?? '';
  if (reason === '') errors.required('reason');
  if (reason.length > REASON_LENGTH_LIMIT) errors.invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`);
  if ((event.message ?? '').length > NOTE_LENGTH_LIMIT) errors.invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`);
  return errors;
}

export const eventStrategy: ResourceStrategy<Event> = {
  applyDefaults() {
    // core/v1 Event has no defaults.
  },

  prepareForCreate() {
    // An Event has no status to reset.
  },

  prepareForUpdate() {
    // The whole object is the reporter's.
  },

  validate: validateEvent,

  validateUpdate(event) {
    return validateEvent(event);
  },

  specChanged() {
    // Events have no spec, so their generation never moves.
    return false;
  },
};
