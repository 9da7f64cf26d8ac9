import type { EndpointSlice, Service } from '../client/types.js';
import { normalizeName } from './names.js';
import { serviceRecords, type NameRecords } from './service-records.js';

/** The label the EndpointSlice controller puts on every slice it owns. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The name → records index the DNS server answers from. Fed object by object
 * (informer handlers); each change recomputes the records of the one Service
 * it concerns, so a cluster of thousands of Services pays per change, not per
 * cluster. Pure: no I/O, no clock.
 */
export class RecordIndex {
  readonly zone: string;
  private readonly services = new Map<string, Service>();
  /** service key → slice name → slice */
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  /** slice key → the service key it was filed under (its label may change) */
  private readonly sliceOwner = new Map<string, string>();
  private readonly names = new Map<string, { owner: string; records: NameRecords }>();
  private readonly ownedNames = new Map<string, string[]>();
  /** reverse name → owner service key → targets */
  private readonly ptrs = new Map<string, Map<string, string[]>>();
  private readonly ownedPtrs = new Map<string, string[]>();
  private readonly servicesPerNamespace = new Map<string, number>();
  private changes = 0;

  constructor(zone: string) {
    this.zone = normalizeName(zone);
  }

  /** Grows by one on every change; the SOA serial is derived from it. */
  get version(): number {
    return this.changes;
  }

  get serviceCount(): number {
    return this.services.size;
  }

  upsertService(service: Service): void {
    const key = objectKey(service);
    if (key === undefined) return;
    const namespace = service.metadata.namespace ?? '';
    if (!this.services.has(key)) this.servicesPerNamespace.set(namespace, (this.servicesPerNamespace.get(namespace) ?? 0) + 1);
    this.services.set(key, service);
    this.rebuild(key);
  }

  deleteService(service: Service): void {
    const key = objectKey(service);
    if (key === undefined || !this.services.delete(key)) return;
    const namespace = service.metadata.namespace ?? '';
    const remaining = (this.servicesPerNamespace.get(namespace) ?? 1) - 1;
    if (remaining <= 0) this.servicesPerNamespace.delete(namespace);
    else this.servicesPerNamespace.set(namespace, remaining);
    this.rebuild(key);
  }

  upsertEndpointSlice(slice: EndpointSlice): void {
    const sliceKey = objectKey(slice);
    if (sliceKey === undefined) return;
    const previousOwner = this.sliceOwner.get(sliceKey);
    const owner = ownerKey(slice);
    if (previousOwner !== undefined && previousOwner !== owner) {
      this.removeSlice(previousOwner, slice.metadata.name ?? '');
      this.rebuild(previousOwner);
    }
    if (owner === undefined) {
      this.sliceOwner.delete(sliceKey);
      return;
    }
    this.sliceOwner.set(sliceKey, owner);
    let slices = this.slicesByService.get(owner);
    if (slices === undefined) {
      slices = new Map();
      this.slicesByService.set(owner, slices);
    }
    slices.set(slice.metadata.name ?? '', slice);
    this.rebuild(owner);
  }

  deleteEndpointSlice(slice: EndpointSlice): void {
    const sliceKey = objectKey(slice);
    if (sliceKey === undefined) return;
    const owner = this.sliceOwner.get(sliceKey);
    if (owner === undefined) return;
    this.sliceOwner.delete(sliceKey);
    this.removeSlice(owner, slice.metadata.name ?? '');
    this.rebuild(owner);
  }

  /** The records at a normalized name, or undefined if no Service produced it. */
  lookup(name: string): NameRecords | undefined {
    return this.names.get(name)?.records;
  }

  /** PTR targets at a normalized reverse name. */
  lookupPtr(name: string): string[] | undefined {
    const owners = this.ptrs.get(name);
    if (owners === undefined) return undefined;
    const targets: string[] = [];
    for (const list of owners.values()) for (const target of list) if (!targets.includes(target)) targets.push(target);
    return targets;
  }

  /** `<ns>.svc.<zone>` exists while the namespace has a Service (CoreDNS answers NXDOMAIN otherwise). */
  hasNamespace(namespace: string): boolean {
    return this.servicesPerNamespace.has(namespace);
  }

  private removeSlice(serviceKey: string, sliceName: string): void {
    const slices = this.slicesByService.get(serviceKey);
    slices?.delete(sliceName);
    if (slices !== undefined && slices.size === 0) this.slicesByService.delete(serviceKey);
  }

  private rebuild(serviceKey: string): void {
    this.changes++;
    this.forget(serviceKey);
    const service = this.services.get(serviceKey);
    if (service === undefined) return;
    const set = serviceRecords(service, this.slicesByService.get(serviceKey)?.values() ?? [], this.zone);
    const owned: string[] = [];
    for (const [name, records] of set.names) {
      // Two Services cannot share a name; a clash could only come from an
      // endpoint hostname equal to another label, and then the newest wins.
      this.names.set(name, { owner: serviceKey, records });
      owned.push(name);
    }
    this.ownedNames.set(serviceKey, owned);
    const ownedPtrs: string[] = [];
    for (const [name, targets] of set.ptrs) {
      let owners = this.ptrs.get(name);
      if (owners === undefined) {
        owners = new Map();
        this.ptrs.set(name, owners);
      }
      owners.set(serviceKey, targets);
      ownedPtrs.push(name);
    }
    this.ownedPtrs.set(serviceKey, ownedPtrs);
  }

  private forget(serviceKey: string): void {
    for (const name of this.ownedNames.get(serviceKey) ?? []) {
      if (this.names.get(name)?.owner === serviceKey) this.names.delete(name);
    }
    this.ownedNames.delete(serviceKey);
    for (const name of this.ownedPtrs.get(serviceKey) ?? []) {
      const owners = this.ptrs.get(name);
      owners?.delete(serviceKey);
      if (owners !== undefined && owners.size === 0) this.ptrs.delete(name);
    }
    this.ownedPtrs.delete(serviceKey);
  }
}

function objectKey(object: Service | EndpointSlice): string | undefined {
  const { namespace, name } = object.metadata;
  return namespace === undefined || name === undefined ? undefined : `${namespace}/${name}`;
}

function ownerKey(slice: EndpointSlice): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return service === undefined || service === '' || slice.metadata.namespace === undefined
    ? undefined
    : `${slice.metadata.namespace}/${service}`;
}
