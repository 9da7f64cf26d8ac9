import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerCommand } from '../../../../../clients/agent/node/runtime/container-command.js';
import { containerEnv } from '../../../../../clients/agent/node/runtime/container-env.js';
import type { Container, Pod } from '../../../../../clients/client/types.js';

const pod: Pod = {
  metadata: { name: 'web-1', namespace: 'team', uid: 'u-1', labels: { app: 'web' } },
  spec: { nodeName: 'node-a', containers: [] },
  status: { podIP: '127.100.0.5', hostIP: '127.0.0.1' },
};

describe('container environment', () => {
  it('resolves fieldRefs, expands earlier variables and Service variables, and lets env win over Service variables', () => {
    const container: Container = {
      name: 'app',
      env: [
        { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'MY_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'GREETING', value: 'hi $(MY_NAME) via $(API_SERVICE_HOST) $(LATER)' },
        { name: 'LATER', value: 'x' },
        { name: 'API_SERVICE_PORT', value: '9999' },
      ],
    };
    const result = containerEnv({ pod, container, serviceEnv: new Map([['API_SERVICE_HOST', '10.0.0.9'], ['API_SERVICE_PORT', '80']]), imageEnv: { PORT: '8080' } });
    assert.ok('env' in result);
    const env = result.env;
    assert.equal(env.MY_NAME, 'web-1');
    assert.equal(env.MY_NS, 'team');
    assert.equal(env.MY_IP, '127.100.0.5');
    assert.equal(env.MY_NODE, 'node-a');
    assert.equal(env.APP, 'web');
    assert.equal(env.GREETING, 'hi web-1 via 10.0.0.9 $(LATER)');
    assert.equal(env.API_SERVICE_PORT, '9999');
    assert.equal(env.API_SERVICE_HOST, '10.0.0.9');
    assert.equal(env.PORT, '8080');
    assert.equal(env.HOSTNAME, 'web-1');
    assert.ok(env.PATH?.includes('/usr/bin'));
  });

  it('refuses sources it cannot resolve yet', () => {
    const container: Container = { name: 'app', env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] };
    const result = containerEnv({ pod, container, serviceEnv: new Map(), imageEnv: {} });
    assert.deepEqual(result, { error: "env PASSWORD: secretKeyRef is not supported by skiff's runtime yet" });
  });
});

describe('container command (command and args over entrypoint and image args)', () => {
  const image = { entrypoint: ['/bin/server'], args: ['--default'] };
  const env = { NAME: 'web' };
  const cases: Array<[string, Partial<Container>, string[] | undefined]> = [
    ['neither: the image entrypoint and arguments', {}, ['/bin/server', '--default']],
    ['args alone replace the image arguments', { args: ['--name=$(NAME)'] }, ['/bin/server', '--name=web']],
    ['command drops the image arguments', { command: ['/bin/other'] }, ['/bin/other']],
    ['command and args', { command: ['/bin/other', '$(NAME)'], args: ['$$(NAME)'] }, ['/bin/other', 'web', '$(NAME)']],
  ];
  for (const [title, fields, want] of cases) {
    it(title, () => assert.deepEqual(containerCommand({ name: 'c', ...fields }, image, env), want));
  }
  it('has nothing to run for an unknown image without a command', () => {
    assert.equal(containerCommand({ name: 'c', args: ['x'] }, undefined, env), undefined);
    assert.deepEqual(containerCommand({ name: 'c', command: ['/bin/true'] }, undefined, env), ['/bin/true']);
  });
});
