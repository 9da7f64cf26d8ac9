import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandError, createCommandRunner } from '../../../../clients/agent/proxy/command-runner.js';

describe('createCommandRunner', () => {
  it('feeds stdin and returns stdout', async () => {
    const run = createCommandRunner();
    const { stdout } = await run('cat', [], { input: 'add table ip skiff\n' });
    assert.equal(stdout, 'add table ip skiff\n');
  });

  it('reports a failing command with its exit status and stderr', async () => {
    const run = createCommandRunner();
    const error = await run('sh', ['-c', 'echo "/dev/stdin:3:1-5: Error: syntax error" >&2; exit 1']).catch((e: unknown) => e);
    assert.ok(error instanceof CommandError);
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /^sh -c .* exited with status 1:\n\/dev\/stdin:3:1-5: Error: syntax error$/s);
  });

  it('kills a command that outlives its time limit', async () => {
    const run = createCommandRunner({ timeoutMs: 100 });
    await assert.rejects(run('sleep', ['5']), /sleep 5 timed out after 100 ms/);
  });

  it('says so when the tool is not installed', async () => {
    const run = createCommandRunner();
    await assert.rejects(run('skiff-no-such-tool', []), /could not start: skiff-no-such-tool not found on PATH/);
  });

  it('runs every command behind the wrapper', async () => {
    const run = createCommandRunner({ wrapper: ['env', 'SKIFF_WRAPPED=yes'] });
    const { stdout } = await run('sh', ['-c', 'echo $SKIFF_WRAPPED']);
    assert.equal(stdout.trim(), 'yes');
  });

  it('does not fail on a command that exits without reading its input', async () => {
    const run = createCommandRunner();
    await run('true', [], { input: 'x'.repeat(1 << 20) });
  });
});
