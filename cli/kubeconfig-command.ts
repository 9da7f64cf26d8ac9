import { Command, Option } from 'commander';
import YAML from 'yaml';

/** A kubeconfig for a plain-HTTP skiff server (no credentials: skiff has no authentication). */
export function kubeconfigFor(server: string, name = 'skiff'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // There is no TLS to verify on plain HTTP, but @kubernetes/client-node refuses an
    // http:// server unless this is set; kubectl ignores it there.
    clusters: [{ name, cluster: { server, ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}) } }],
    users: [{ name, user: {} }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function kubeconfigCommand(): Command {
  return new Command('kubeconfig')
    .description('print a kubeconfig for a running skiff server (use: skiff kubeconfig > ~/.kube/skiff && KUBECONFIG=~/.kube/skiff kubectl get svc)')
    .addOption(new Option('--server <url>', 'URL of the skiff server').env('SKIFF_SERVER').default('http://127.0.0.1:8080'))
    .addOption(new Option('--name <name>', 'cluster, user and context name').default('skiff'))
    .action(async (flags: { server: string; name: string }) => {
      const response = await fetch(new URL('/version', flags.server)).catch((error: unknown) => {
        throw new Error(`cannot reach a skiff server at ${flags.server}: ${(error as Error).message}`);
      });
      if (!response.ok) throw new Error(`${flags.server}/version answered ${response.status}; is it a skiff server?`);
      process.stdout.write(kubeconfigFor(flags.server, flags.name));
    });
}
