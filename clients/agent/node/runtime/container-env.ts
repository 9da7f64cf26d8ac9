// A container's environment, built as the kubelet builds it
// (kubelet_pods.go makeEnvironmentVariables): the image's own variables, then
// the container's `env` in order — each value expanded against the variables
// defined before it and the Service variables — and the Service variables
// the container did not set itself.

import type { Container, EnvVar, Pod } from '../../../client/types.js';
import { expandVariables } from './variable-expansion.js';

/** The variables a runtime sets for every container (as runc does with an image's defaults). */
export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/',
};

export type EnvResult = { env: Record<string, string> } | { error: string };

export interface ContainerEnvInput {
  pod: Pod;
  container: Container;
  /** From serviceEnvForPod. */
  serviceEnv: ReadonlyMap<string, string>;
  /** The image's variables (for the built-ins: POD_IP and PORT). */
  imageEnv: Readonly<Record<string, string>>;
}

export function containerEnv(input: ContainerEnvInput): EnvResult {
  const defined = new Map<string, string>();
  const lookup = (name: string): string | undefined => defined.get(name) ?? input.serviceEnv.get(name);
  for (const variable of input.container.env ?? []) {
    const value = envValue(variable, input.pod, lookup);
    if (typeof value !== 'string') return value;
    defined.set(variable.name, value);
  }
  for (const [name, value] of input.serviceEnv) if (!defined.has(name)) defined.set(name, value);
  const env: Record<string, string> = { ...BASE_ENV, HOSTNAME: input.pod.spec?.hostname ?? input.pod.metadata.name ?? '', ...input.imageEnv };
  for (const [name, value] of defined) env[name] = value;
  return { env };
}

function envValue(variable: EnvVar, pod: Pod, lookup: (name: string) => string | undefined): string | { error: string } {
  if (variable.value !== undefined && variable.value !== '') return expandVariables(variable.value, lookup);
  const source = variable.valueFrom;
  if (source === undefined) return '';
  if (source.fieldRef !== undefined) {
    const value = podFieldValue(pod, source.fieldRef.fieldPath);
    return value ?? { error: `unsupported fieldRef ${JSON.stringify(source.fieldRef.fieldPath)} in env ${variable.name}` };
  }
  const kind = Object.keys(source).find((key) => (source as Record<string, unknown>)[key] !== undefined) ?? 'valueFrom';
  // configMapKeyRef and secretKeyRef wait for the ConfigMap and Secret kinds; resourceFieldRef for resource accounting.
  return { error: `env ${variable.name}: ${kind} is not supported by skiff's runtime yet` };
}

/** The downward API's field paths (pkg/api/v1/pod podFieldSelectorRuntimeValue and ExtractFieldPathAsString). */
export function podFieldValue(pod: Pod, fieldPath: string): string | undefined {
  const subscript = /^metadata\.(labels|annotations)\['([^']*)'\]$/.exec(fieldPath);
  if (subscript !== null) {
    const map = subscript[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[subscript[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((a) => a.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((a) => a.ip).join(',');
    default:
      return undefined;
  }
}
