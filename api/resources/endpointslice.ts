import type { EndpointSlice } from '../schemas/endpointslice.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../validation/identifiers.js';
import { ipFamilyOf, validateNonSpecialIP } from '../validation/ip-address.js';
import { validateLabels, FIELD_IMMUTABLE } from '../validation/object-meta.js';
import { isValidPortNum } from '../validation/port-name.js';
import { validateProtocol } from '../validation/container-validation.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';

// The EndpointSlice strategy (pkg/apis/discovery/validation,
// SetDefaults_EndpointPort of discovery/v1). Slices are written by the
// EndpointSlice controller and read by every node agent and by `kubectl
// describe service`.

/** The label that ties a slice to its Service (discovery/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
/** Accepted on update only, so slices stored before its deprecation stay writable. */
const DEPRECATED_ADDRESS_TYPES = ['IP'] as const;
export const MAX_ENDPOINTS_PER_SLICE = 1000;
export const MAX_ADDRESSES_PER_ENDPOINT = 100;
export const MAX_PORTS_PER_SLICE = 100;
const MAX_TOPOLOGY_LABELS = 16;

function tooMany(errors: FieldErrors, path: string, actual: number, max: number): void {
  errors.causes.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${actual}: must have at most ${max} items` });
}

/** IsFullyQualifiedDomainName: at least two labels, optionally dot-terminated. */
function validateFQDN(errors: FieldErrors, path: string, name: string): void {
  if (!name) {
    errors.required(path);
    return;
  }
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const problems = isDNS1123Subdomain(trimmed);
  if (problems.length > 0) {
    errors.invalid(path, trimmed, problems.join(','));
    return;
  }
  const labels = trimmed.split('.');
  if (labels.length < 2) {
    errors.invalid(path, trimmed, 'should be a domain with at least two segments separated by dots');
    return;
  }
  for (const label of labels) {
    const labelProblems = isDNS1123Label(label);
    if (labelProblems.length > 0) {
      errors.invalid(path, label, labelProblems.join(','));
      return;
    }
  }
}

function validateAddress(errors: FieldErrors, path: string, address: string, addressType: string): void {
  // Unknown address types are not validated, as upstream.
  switch (addressType) {
    case 'IP':
      if (ipFamilyOf(address) === undefined) errors.invalid(path, address, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
      break;
    case 'IPv4':
      if (ipFamilyOf(address) !== 'IPv4') errors.invalid(path, address, 'must be a valid IPv4 address');
      validateNonSpecialIP(errors, path, address, { allowLoopback: true });
      break;
    case 'IPv6':
      if (ipFamilyOf(address) !== 'IPv6') errors.invalid(path, address, 'must be a valid IPv6 address');
      validateNonSpecialIP(errors, path, address, { allowLoopback: true });
      break;
    case 'FQDN':
      validateFQDN(errors, path, address);
      break;
    default:
      break;
  }
}

function validateEndpointSlice(slice: EndpointSlice, addressTypes: readonly string[]): FieldErrors {
  const errors = new FieldErrors();
  const addressType = slice.addressType ?? '';
  if (!addressType) errors.required('addressType');
  else if (!addressTypes.includes(addressType)) errors.notSupported('addressType', addressType, addressTypes);
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS_PER_SLICE) {
    tooMany(errors, 'endpoints', endpoints.length, MAX_ENDPOINTS_PER_SLICE);
  } else {
    endpoints.forEach((endpoint, i) => {
      const path = `endpoints[${i}]`;
      const addresses = endpoint.addresses ?? [];
      if (addresses.length === 0) errors.required(`${path}.addresses`, 'must contain at least 1 address');
      else if (addresses.length > MAX_ADDRESSES_PER_ENDPOINT) tooMany(errors, `${path}.addresses`, addresses.length, MAX_ADDRESSES_PER_ENDPOINT);
      addresses.forEach((address, j) => validateAddress(errors, `${path}.addresses[${j}]`, address, addressType));
      const topology = endpoint.deprecatedTopology ?? {};
      if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) tooMany(errors, `${path}.topology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS);
      validateLabels(topology, `${path}.topology`, errors);
      if (endpoint.hostname !== undefined) errors.invalidEach(`${path}.hostname`, endpoint.hostname, isDNS1123Label(endpoint.hostname));
    });
  }
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS_PER_SLICE) {
    tooMany(errors, 'ports', ports.length, MAX_PORTS_PER_SLICE);
    return errors;
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const path = `ports[${i}]`;
    const name = port.name ?? '';
    if (name) errors.invalidEach(`${path}.name`, name, isDNS1123Label(name));
    if (names.has(name)) errors.duplicate(`${path}.name`, name);
    else names.add(name);
    validateProtocol(errors, `${path}.protocol`, port.protocol);
    // Upstream leaves the number unchecked (nil means "all ports"); a set one is still a port.
    if (port.port !== undefined) errors.invalidEach(`${path}.port`, port.port, isValidPortNum(port.port));
    if (port.appProtocol !== undefined) errors.invalidEach(`${path}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol));
  });
  return errors;
}

export const endpointSliceStrategy: ResourceStrategy<EndpointSlice> = {
  applyDefaults(slice) {
    for (const port of slice.ports ?? []) {
      if (port.name === undefined) port.name = '';
      if (!port.protocol) port.protocol = 'TCP';
    }
  },

  prepareForCreate() {
    // EndpointSlices have no status to reset.
  },

  prepareForUpdate() {
    // Nothing is carried over: the whole object is the writer's.
  },

  validate(slice) {
    return validateEndpointSlice(slice, ADDRESS_TYPES);
  },

  validateUpdate(slice, old) {
    const errors = validateEndpointSlice(slice, [...ADDRESS_TYPES, ...DEPRECATED_ADDRESS_TYPES].sort());
    if ((slice.addressType ?? '') !== (old.addressType ?? '')) errors.invalid('addressType', slice.addressType ?? '', FIELD_IMMUTABLE);
    return errors;
  },

  specChanged(slice, old) {
    return !semanticEqual(
      { addressType: slice.addressType, endpoints: slice.endpoints, ports: slice.ports },
      { addressType: old.addressType, endpoints: old.endpoints, ports: old.ports },
    );
  },
};
