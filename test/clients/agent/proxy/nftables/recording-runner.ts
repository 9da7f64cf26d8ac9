// A CommandRunner that records what would run and answers from a script.

import type { CommandOptions, CommandResult, CommandRunner } from '../../../../../clients/agent/proxy/command-runner.js';

export interface RecordedCommand {
  command: string;
  args: string[];
  input: string | undefined;
}

export interface RecordingRunner {
  run: CommandRunner;
  commands: RecordedCommand[];
  /** Commands whose `command args…` line starts with `prefix` fail (the next `times` of them). */
  failNext(prefix: string, times?: number): void;
  /** Commands whose line starts with `prefix` print `stdout`. */
  answer(prefix: string, stdout: string): void;
}

export function recordingRunner(): RecordingRunner {
  const commands: RecordedCommand[] = [];
  const failures: Array<{ prefix: string; times: number }> = [];
  const answers: Array<{ prefix: string; stdout: string }> = [];
  const run: CommandRunner = async (command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> => {
    commands.push({ command, args: [...args], input: options?.input });
    const line = [command, ...args].join(' ');
    const failure = failures.find((f) => f.times > 0 && line.startsWith(f.prefix));
    if (failure !== undefined) {
      failure.times -= 1;
      throw new Error(`${line} failed (scripted)`);
    }
    return { stdout: answers.find((a) => line.startsWith(a.prefix))?.stdout ?? '', stderr: '' };
  };
  return {
    run,
    commands,
    failNext: (prefix, times = 1) => failures.push({ prefix, times }),
    answer: (prefix, stdout) => answers.push({ prefix, stdout }),
  };
}
