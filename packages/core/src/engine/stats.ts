/** Per-command counters behind INFO commandstats. */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** Counters behind INFO stats. */
export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  evictedClients = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  pubsubChannelsPublished = 0;
  totalErrorReplies = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  /** Errors by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
  readonly errors = new Map<string, number>();
  readonly commands = new Map<string, CommandStats>();

  command(name: string): CommandStats {
    let stats = this.commands.get(name);
    if (!stats) this.commands.set(name, (stats = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 }));
    return stats;
  }

  error(message: string): void {
    this.totalErrorReplies++;
    const space = message.indexOf(" ");
    const prefix = space < 0 ? message : message.slice(0, space);
    this.errors.set(prefix, (this.errors.get(prefix) ?? 0) + 1);
  }

  reset(): void {
    this.commands.clear();
    this.errors.clear();
    this.totalErrorReplies = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
  }
}
