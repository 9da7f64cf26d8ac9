import type { EndpointAddress, EndpointPort, Endpoints } from '../schemas/endpoints.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../validation/identifiers.js';
import { validateIP, validateNonSpecialIP } from '../validation/ip-address.js';
import { isValidPortNum } from '../validation/port-name.js';
import { validateProtocol } from '../validation/container-validation.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';

// The Endpoints strategy (ValidateEndpoints, SetDefaults_EndpointPort). The
// endpoints controller writes these; users may too (a selector-less Service
// whose endpoints are managed by hand). There is no spec/status split.

function validateEndpointAddress(address: EndpointAddress, path: string, errors: FieldErrors): void {
  const ip = address.ip ?? '';
  validateIP(errors, `${path}.ip`, ip);
  if (address.hostname) errors.invalidEach(`${path}.hostname`, address.hostname, isDNS1123Label(address.hostname));
  if (address.nodeName !== undefined) errors.invalidEach(`${path}.nodeName`, address.nodeName, isDNS1123Subdomain(address.nodeName));
  validateNonSpecialIP(errors, `${path}.ip`, ip, { allowLoopback: true });
}

/** validateEndpointPort; EndpointSlice ports follow the same rules with small differences. */
function validateEndpointPort(port: EndpointPort, requireName: boolean, path: string, errors: FieldErrors): void {
  if (requireName && !port.name) errors.required(`${path}.name`);
  else if (port.name) errors.invalidEach(`${path}.name`, port.name, isDNS1123Label(port.name));
  errors.invalidEach(`${path}.port`, port.port ?? 0, isValidPortNum(port.port ?? 0));
  validateProtocol(errors, `${path}.protocol`, port.protocol);
  if (port.appProtocol !== undefined) errors.invalidEach(`${path}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol));
}

function validateEndpoints(endpoints: Endpoints): FieldErrors {
  const errors = new FieldErrors();
  (endpoints.subsets ?? []).forEach((subset, i) => {
    const path = `subsets[${i}]`;
    if ((subset.addresses ?? []).length === 0 && (subset.notReadyAddresses ?? []).length === 0) {
      errors.required(path, 'must specify `addresses` or `notReadyAddresses`');
    }
    (subset.addresses ?? []).forEach((address, j) => validateEndpointAddress(address, `${path}.addresses[${j}]`, errors));
    (subset.notReadyAddresses ?? []).forEach((address, j) => validateEndpointAddress(address, `${path}.notReadyAddresses[${j}]`, errors));
    const ports = subset.ports ?? [];
    ports.forEach((port, j) => validateEndpointPort(port, ports.length > 1, `${path}.ports[${j}]`, errors));
  });
  return errors;
}

export const endpointsStrategy: ResourceStrategy<Endpoints> = {
  applyDefaults(endpoints) {
    for (const subset of endpoints.subsets ?? []) {
      for (const port of subset.ports ?? []) if (!port.protocol) port.protocol = 'TCP';
    }
  },

  prepareForCreate() {
    // Endpoints have no status to reset.
  },

  prepareForUpdate() {
    // Nothing is carried over: the whole object is the writer's.
  },

  validate: validateEndpoints,

  validateUpdate(endpoints) {
    return validateEndpoints(endpoints);
  },

  specChanged(endpoints, old) {
    return !semanticEqual(endpoints.subsets, old.subsets);
  },
};
