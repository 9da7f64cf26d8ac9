// Manifests as users write them: YAML, no status, defaults left to the server.

export function podManifest(name: string, labels: Record<string, string>, image = 'nginx:1.27'): string {
  const labelLines = Object.entries(labels).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
${labelLines}
spec:
  containers:
  - name: web
    image: ${image}
    ports:
    - containerPort: 8080
      name: http
`;
}

export function serviceManifest(name: string, options: { selector?: Record<string, string>; labels?: Record<string, string>; ports?: string; type?: string } = {}): string {
  const map = (m: Record<string, string>, indent: string) => Object.entries(m).map(([k, v]) => `${indent}${k}: ${JSON.stringify(v)}`).join('\n');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${options.labels ? `  labels:\n${map(options.labels, '    ')}\n` : ''}spec:
${options.type ? `  type: ${options.type}\n` : ''}${options.selector ? `  selector:\n${map(options.selector, '    ')}\n` : ''}  ports:
${options.ports ?? '  - port: 80\n    targetPort: 8080\n'}`;
}

export function nodeManifest(name: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
`;
}

/**
 * Endpoints written by hand, as for a Service without a selector. The label
 * keeps an EndpointSlice mirroring controller off them, as upstream's does,
 * since the test writes that Service's slice itself.
 */
export function endpointsManifest(name: string, ip: string, port: number): string {
  return `apiVersion: v1
kind: Endpoints
metadata:
  name: ${name}
  labels:
    endpointslice.kubernetes.io/skip-mirror: "true"
subsets:
- addresses:
  - ip: ${ip}
  ports:
  - port: ${port}
    protocol: TCP
`;
}

/** An EndpointSlice written by hand for Service `service`: the label is how describe finds it. */
export function endpointSliceManifest(name: string, service: string, ip: string, port: number): string {
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}
  labels:
    kubernetes.io/service-name: ${service}
addressType: IPv4
endpoints:
- addresses:
  - ${ip}
  conditions:
    ready: true
ports:
- name: ""
  port: ${port}
  protocol: TCP
`;
}

export function eventManifest(name: string, pod: { name: string; uid: string }, reason: string, message: string): string {
  return `apiVersion: v1
kind: Event
metadata:
  name: ${name}
involvedObject:
  apiVersion: v1
  kind: Pod
  name: ${pod.name}
  namespace: default
  uid: ${pod.uid}
reason: ${reason}
message: ${JSON.stringify(message)}
type: Normal
source:
  component: default-scheduler
count: 1
firstTimestamp: "${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"
lastTimestamp: "${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"
`;
}
