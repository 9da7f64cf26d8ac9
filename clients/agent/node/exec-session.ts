// One `kubectl exec` session on the node side, in the Kubernetes
// remotecommand WebSocket protocol (v4.channel.k8s.io and v5.channel.k8s.io):
// every binary message starts with its channel — 0 stdin, 1 stdout, 2 stderr,
// 3 error (a Status JSON that carries the exit code), 4 resize — and v5 adds
// 255, "close channel N" (the client's end of stdin).

import type { ChildProcess } from 'node:child_process';
import type { WebSocket } from 'ws';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

/** The protocol to speak: the newest both sides know. */
export function chooseExecProtocol(offered: Iterable<string>): string | undefined {
  const set = new Set(offered);
  return EXEC_PROTOCOLS.find((protocol) => set.has(protocol));
}

/** The Status the error channel carries when the command has ended (remotecommand's v4 error stream). */
export function exitStatus(exitCode: number, command: readonly string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function failureStatus(message: string): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/** Wires a started process to the socket until it ends; `stdin` says whether the client sends input. */
export function runExecSession(socket: WebSocket, child: ChildProcess, command: readonly string[], streams: { stdin: boolean; stdout: boolean; stderr: boolean }): void {
  if (!streams.stdin) child.stdin?.end();
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const message = isBinary ? data : Buffer.from(data);
    const channel = message[0];
    if (channel === STDIN && streams.stdin) child.stdin?.write(message.subarray(1));
    else if (channel === CLOSE && message[1] === STDIN) child.stdin?.end();
    // Resize (4) means nothing without a terminal; skiff allocates none.
  });
  socket.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (streams.stdout) socket.send(frame(STDOUT, chunk));
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (streams.stderr) socket.send(frame(STDERR, chunk));
  });
  child.stdin?.on('error', () => undefined);
  const finish = (status: Record<string, unknown>): void => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frame(ERROR, JSON.stringify(status)), () => socket.close(1000));
  };
  child.once('error', (error) => finish(failureStatus(`cannot run ${JSON.stringify(command[0])}: ${error.message}`)));
  child.once('close', (code, signal) => finish(exitStatus(code ?? (signal === null ? 1 : 128 + 9), command)));
}
