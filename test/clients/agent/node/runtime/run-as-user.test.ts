import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRunAs } from '../../../../../clients/agent/node/runtime/run-as-user.js';
import type { Container, Pod } from '../../../../../clients/client/types.js';

const root = { uid: 0, gid: 0 };
const user = { uid: 1000, gid: 1000 };
const pod = (securityContext?: Pod['spec'] extends infer S ? (S extends { securityContext?: infer C } ? C : never) : never): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...(securityContext === undefined ? {} : { securityContext }) } });
const container = (securityContext?: Container['securityContext']): Container => ({ name: 'c', ...(securityContext === undefined ? {} : { securityContext }) });

describe('which user a container runs as', () => {
  it('is nobody by default, never root', () => assert.deepEqual(resolveRunAs(pod(), container(), root), { uid: 65534, gid: 65534 }));
  it('takes the container over the Pod', () => assert.deepEqual(resolveRunAs(pod({ runAsUser: 1 }), container({ runAsUser: 2, runAsGroup: 3 }), root), { uid: 2, gid: 3 }));
  it('runs as root only when asked', () => assert.deepEqual(resolveRunAs(pod({ runAsUser: 0 }), container(), root), { uid: 0, gid: 0 }));
  it('refuses root under runAsNonRoot', () => assert.ok('error' in resolveRunAs(pod({ runAsNonRoot: true }), container({ runAsUser: 0 }), root)));
  it('runs as the agent user when the agent is not root', () => assert.deepEqual(resolveRunAs(pod(), container(), user), user));
  it('cannot switch users when the agent is not root', () => {
    const result = resolveRunAs(pod({ runAsUser: 0 }), container(), user);
    assert.deepEqual(result, { error: 'cannot run as user 0: the agent runs as user 1000, not root, and cannot switch users' });
  });
});
