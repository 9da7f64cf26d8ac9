import type { Node, NodeCondition } from '../../schemas/node.js';

// How controllers read a Node's Ready condition. The agent (kubelet's role)
// posts True or False; only the node lifecycle controller writes Unknown,
// when the agent has gone quiet.

export function nodeReadyCondition(node: Node): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

/** Declared lost by the node lifecycle controller: its pods' endpoints are not ready. */
export function isNodeLost(node: Node): boolean {
  return nodeReadyCondition(node)?.status === 'Unknown';
}
