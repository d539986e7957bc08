import type { Cluster, ClusterHost } from './cluster.js';

/**
 * The cluster of one process: every session is written here, so commands run
 * here, leases are always granted and nobody else is told anything.
 */
export function localCluster(): Cluster {
  let host: ClusterHost | undefined;
  return {
    clustered: false,
    attach(attached) {
      host = attached;
    },
    sync: async () => {},
    acquire: async () => true,
    holds: () => true,
    release() {},
    forget() {},
    run: async (sessionId, command) => host?.command(sessionId, command),
    broadcast: async () => {},
    close: async () => {},
  };
}
