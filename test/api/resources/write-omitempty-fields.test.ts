import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderOmitemptyFields } from '../../../api/resources/write-omitempty-fields.js';

// A miniature of the upstream sources: the generator must read each field's
// rule from its json tag and Go type shape alone.
const CORE = `
type Protocol string

type Pod struct {
	metav1.TypeMeta \`json:",inline"\`
	// Standard object's metadata.
	metav1.ObjectMeta \`json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"\`
	Spec PodSpec \`json:"spec,omitempty"\`
	Status PodStatus \`json:"status,omitempty"\`
}

type PodSpec struct {
	Containers []Container \`json:"containers"\`
	NodeName string \`json:"nodeName,omitempty"\`
	HostNetwork bool \`json:"hostNetwork,omitempty"\`
	Priority *int32 \`json:"priority,omitempty"\`
	NodeSelector map[string]string \`json:"nodeSelector,omitempty"\`
	Affinity *Affinity \`json:"affinity,omitempty"\`
}

type Affinity struct {
	Zone string \`json:"zone"\`
}

type Container struct {
	Name string \`json:"name"\`
	Ports []ContainerPort \`json:"ports,omitempty"\`
}

type ContainerPort struct {
	Name string \`json:"name,omitempty"\`
	ContainerPort int32 \`json:"containerPort"\`
	Protocol Protocol \`json:"protocol,omitempty"\`
}

type PodStatus struct {
	StartTime *metav1.Time \`json:"startTime,omitempty"\`
	Conditions []PodCondition \`json:"conditions,omitempty"\`
}

type PodCondition struct {
	LastProbeTime metav1.Time \`json:"lastProbeTime,omitempty"\`
	Reason string \`json:"reason,omitempty"\`
}
`;

const META = `
type TypeMeta struct {
	Kind string \`json:"kind,omitempty"\`
	APIVersion string \`json:"apiVersion,omitempty"\`
}

type ObjectMeta struct {
	Name string \`json:"name,omitempty"\`
	UID types.UID \`json:"uid,omitempty"\`
	Generation int64 \`json:"generation,omitempty"\`
	CreationTimestamp Time \`json:"creationTimestamp,omitempty"\`
	Labels map[string]string \`json:"labels,omitempty"\`
}
`;

describe('write-omitempty-fields', () => {
  it('reads each field’s rule from its json tag and Go type, merging inline structs', () => {
    const text = renderOmitemptyFields({
      'core/v1/types.go': CORE,
      'discovery/v1/types.go': '',
      'coordination/v1/types.go': '',
      'pkg/apis/meta/v1/types.go': META,
    }, ['a'.repeat(40), 'b'.repeat(40)]);
    const line = (type: string): string | undefined => text.split('\n').find((l) => l.startsWith(`  '${type}': `));
    assert.equal(line('core.v1.Pod'), "  'core.v1.Pod': { kind: 'string', apiVersion: 'string', metadata: [null, 'meta.v1.ObjectMeta'], spec: [null, 'core.v1.PodSpec'], status: [null, 'core.v1.PodStatus'] },");
    // Affinity has nothing to prune inside: a bare pointer rule, no reference.
    assert.equal(line('core.v1.PodSpec'), "  'core.v1.PodSpec': { containers: [null, 'core.v1.Container'], nodeName: 'string', hostNetwork: 'boolean', priority: 'pointer', nodeSelector: 'map', affinity: 'pointer' },");
    assert.equal(line('core.v1.Affinity'), undefined);
    assert.equal(line('core.v1.ContainerPort'), "  'core.v1.ContainerPort': { name: 'string', protocol: 'string' },");
    assert.equal(line('core.v1.PodStatus'), "  'core.v1.PodStatus': { startTime: 'pointer', conditions: ['list', 'core.v1.PodCondition'] },");
    assert.equal(line('core.v1.PodCondition'), "  'core.v1.PodCondition': { reason: 'string' },");
    assert.equal(line('meta.v1.ObjectMeta'), "  'meta.v1.ObjectMeta': { name: 'string', uid: 'string', generation: 'number', labels: 'map' },");
    assert.match(text, /kubernetes\/api aaaaaaaaaaaa and kubernetes\/apimachinery bbbbbbbbbbbb/);
  });
});
