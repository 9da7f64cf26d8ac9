// Which user a container runs as. The container's securityContext wins over
// the Pod's; with neither, the unprivileged 65534 ("nobody"), never root. Root
// runs only when the Pod asks for user 0 and the agent itself is root. An agent
// that is not root cannot switch users: containers then run as the agent's own
// user, and a Pod asking for any other user cannot start.

import type { Container, Pod } from '../../../client/types.js';

export const UNPRIVILEGED_ID = 65534;

export interface RunAs {
  uid: number;
  gid: number;
}

export function resolveRunAs(pod: Pod, container: Container, agent: RunAs): RunAs | { error: string } {
  const podContext = pod.spec?.securityContext;
  const own = container.securityContext;
  const asked = own?.runAsUser ?? podContext?.runAsUser;
  const askedGroup = own?.runAsGroup ?? podContext?.runAsGroup;
  const nonRoot = own?.runAsNonRoot ?? podContext?.runAsNonRoot ?? false;
  if (nonRoot && asked === 0) return { error: "container's runAsUser breaks non-root policy" };
  if (agent.uid !== 0) {
    if (asked !== undefined && asked !== agent.uid) {
      return { error: `cannot run as user ${asked}: the agent runs as user ${agent.uid}, not root, and cannot switch users` };
    }
    if (askedGroup !== undefined && askedGroup !== agent.gid) {
      return { error: `cannot run as group ${askedGroup}: the agent runs as group ${agent.gid}, not root, and cannot switch groups` };
    }
    if (nonRoot && agent.uid === 0) return { error: "container's runAsUser breaks non-root policy" };
    return agent;
  }
  const uid = asked ?? UNPRIVILEGED_ID;
  return { uid, gid: askedGroup ?? (asked === undefined ? UNPRIVILEGED_ID : uid) };
}
