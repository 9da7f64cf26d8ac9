import { Command, Option } from 'commander';
import { Agent } from '../clients/agent/agent.js';
import { AGENT_DEFAULTS, AgentConfigError, resolveAgentConfig, runtimeKinds, type AgentFlags } from '../clients/agent/agent-config.js';
import { proxyModes } from '../clients/agent/proxy/backend.js';
import { jsonLineLogger, logLevels } from '../clients/client/logger.js';

/** `skiff agent`: the node agent. Every flag has a SKIFF_* environment equivalent. */
export function agentCommand(): Command {
  const d = AGENT_DEFAULTS;
  return new Command('agent')
    .description('run the node agent: register the node, run the pods bound to it as processes and report their status, program service forwarding')
    .addOption(new Option('--server <url>', 'API server URL, for a plain-HTTP (--insecure-serve-http) server').env('SKIFF_SERVER').default(d.server))
    .addOption(new Option('--kubeconfig <path>', "server URL, CA and this node's credentials (skiff kubeconfig --node NAME); its server wins over --server").env('SKIFF_KUBECONFIG'))
    .addOption(new Option('--node <name>', "this node's name (default: the host name)").env('SKIFF_NODE_NAME'))
    .addOption(new Option('--node-ip <ip>', "this node's InternalIP (an IPv4,IPv6 pair for dual stack); NodePorts are served on it (default: first non-loopback IPv4)").env('SKIFF_NODE_IP'))
    .addOption(new Option('--mode <mode>', 'forwarding backend').env('SKIFF_PROXY_MODE').choices(proxyModes).makeOptionMandatory())
    .addOption(new Option('--min-sync-period <duration>', 'at most one rule sync per period; changes within it are coalesced').env('SKIFF_MIN_SYNC_PERIOD').default(d.minSyncPeriod))
    .addOption(new Option('--sync-period <duration>', 'full resync at least this often').env('SKIFF_SYNC_PERIOD').default(d.syncPeriod))
    .addOption(new Option('--cleanup', 'on exit, end every container this agent runs and remove the forwarding rules (without it, containers keep running and the next agent adopts them)').env('SKIFF_CLEANUP'))
    .addOption(new Option('--metrics-address <ip:port>', '/healthz and /metrics; port 0 picks one, "" disables').env('SKIFF_METRICS_ADDRESS').default(d.metricsAddress))
    .addOption(new Option('--node-grace-lease-seconds <seconds>', "leaseDurationSeconds of the node's Lease in kube-node-lease").env('SKIFF_NODE_GRACE_LEASE_SECONDS').default(d.nodeGraceLeaseSeconds))
    .addOption(new Option('--lease-renew-interval <duration>', 'how often the node Lease is renewed').env('SKIFF_LEASE_RENEW_INTERVAL').default(d.leaseRenewInterval))
    .addOption(new Option('--node-status-update-period <duration>', 'how often the Node status is checked and, when changed, written').env('SKIFF_NODE_STATUS_UPDATE_PERIOD').default(d.nodeStatusUpdatePeriod))
    .addOption(new Option('--node-status-report-period <duration>', 'the Node status is written at least this often').env('SKIFF_NODE_STATUS_REPORT_PERIOD').default(d.nodeStatusReportPeriod))
    .addOption(new Option('--no-pod-status', 'do not report the status of pods bound to this node'))
    .addOption(new Option('--userspace-interface <name>', 'userspace mode: dummy interface for non-loopback ClusterIPs, or "none" (default: skiff-proxy0 as root, none otherwise)').env('SKIFF_USERSPACE_INTERFACE'))
    .addOption(new Option('--udp-idle-timeout <duration>', 'userspace mode: close a UDP flow idle this long').env('SKIFF_UDP_IDLE_TIMEOUT').default(d.udpIdleTimeout))
    .addOption(new Option('--runtime <kind>', 'process: run each container as a child process of the agent; none: run nothing and report every container as running').env('SKIFF_RUNTIME').choices(runtimeKinds).default(d.runtime))
    .addOption(new Option('--root-dir <dir>', 'where the runtime keeps its state file, container logs and pipes (default: ./data/agent-<node>)').env('SKIFF_ROOT_DIR'))
    .addOption(new Option('--image <name=command>', "map an image name to a command on this node, e.g. --image nginx=\"/usr/sbin/nginx -g 'daemon off;'\" (repeatable; built-in: skiff/echo)").env('SKIFF_IMAGES').argParser(collectImages))
    .addOption(new Option('--restart-backoff <duration>', 'first wait before restarting a crashed container; doubles per restart').env('SKIFF_RESTART_BACKOFF').default(d.restartBackoff))
    .addOption(new Option('--restart-backoff-max <duration>', 'longest wait before restarting a crashed container').env('SKIFF_RESTART_BACKOFF_MAX').default(d.restartBackoffMax))
    .addOption(new Option('--cgroup-root <dir>', 'cgroup v2 mount for memory and CPU limits; skipped when absent or not writable').env('SKIFF_CGROUP_ROOT').default(d.cgroupRoot))
    .addOption(new Option('--kubelet-port <port>', "the kubelet endpoints (container logs, exec) on the node's first IP; 0 picks one, \"\" disables; reported in the Node's status.daemonEndpoints").env('SKIFF_KUBELET_PORT').default(d.kubeletPort))
    .addOption(new Option('--log-level <level>', 'log level').env('SKIFF_LOG_LEVEL').choices(logLevels).default(d.logLevel))
    .action(async (flags: AgentFlags, command: Command) => {
      let config;
      try {
        config = resolveAgentConfig(flags);
      } catch (error) {
        if (error instanceof AgentConfigError) command.error(`error: ${error.message}`, { exitCode: 2 });
        throw error;
      }
      const logger = jsonLineLogger((line) => process.stderr.write(line), config.logLevel, { name: 'skiff-agent', node: config.nodeName });
      const abort = new AbortController();
      let agent: Agent | undefined;
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        abort.abort();
        const done = agent === undefined ? Promise.resolve() : agent.stop();
        done.then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        agent = await Agent.start(config, { logger }, abort.signal);
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.error({ err: error }, 'agent failed to start');
        process.exit(1);
      }
      if (stopping) {
        await agent.stop();
        return;
      }
      const metrics = agent.metricsUrl === undefined ? '' : `, metrics on ${agent.metricsUrl}`;
      process.stdout.write(`skiff agent ready: node ${config.nodeName}, mode ${config.mode}${metrics}\n`);
    });
}

/** --image repeats; SKIFF_IMAGES holds several mappings separated by newlines. */
function collectImages(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split('\n').filter((line) => line.trim() !== '')];
}
