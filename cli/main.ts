#!/usr/bin/env node
import { Command } from 'commander';
import { serverCommand } from './server-command.js';
import { kubeconfigCommand } from './kubeconfig-command.js';
import { agentCommand } from './agent-command.js';
import { dnsCommand } from './dns-command.js';

// One binary, several roles. The agent and DNS roles live in clients/ and only
// talk HTTP to a server.
const program = new Command('skiff')
  .description('skiff: a small Kubernetes-style control plane')
  .showHelpAfterError()
  .addCommand(serverCommand())
  .addCommand(kubeconfigCommand())
  .addCommand(agentCommand())
  .addCommand(dnsCommand());

await program.parseAsync(process.argv);
