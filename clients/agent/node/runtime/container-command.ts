// What a container runs (Kubernetes' rule, pkg/kubelet/kuberuntime
// makeContainerCommand): `command` replaces the image's entrypoint and drops
// its arguments; `args` alone replaces the arguments; `$(VAR)` in either is
// expanded against the container's environment.

import type { Container } from '../../../client/types.js';
import type { ImageEntry } from './image-catalog.js';
import { expandVariables } from './variable-expansion.js';

/** The argv to run, or undefined when there is no entrypoint (an unknown image and no command). */
export function containerCommand(container: Container, image: ImageEntry | undefined, env: Readonly<Record<string, string>>): string[] | undefined {
  const lookup = (name: string): string | undefined => env[name];
  const expand = (words: readonly string[]): string[] => words.map((word) => expandVariables(word, lookup));
  const command = container.command ?? [];
  const args = container.args;
  if (command.length > 0) return [...expand(command), ...expand(args ?? [])];
  if (image === undefined) return undefined;
  const argv = [...image.entrypoint, ...(args !== undefined && args.length > 0 ? expand(args) : image.args)];
  return argv.length === 0 ? undefined : argv;
}
