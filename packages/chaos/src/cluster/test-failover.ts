import { command, parseInfo } from "./node-client.js";

/** What a test failover needs to know of a node. */
export interface FailoverNode {
  name: string;
  shard: number;
  host: string;
  port: number;
}

/** One event of a test failover, worded as ElastiCache words it. */
/** A test failover that cannot go on; the message says why and what to look at. */
export class TestFailoverError extends Error {}

export interface FailoverEvent {
  atMs: number;
  message: string;
}

export interface TestFailoverResult<N extends FailoverNode = FailoverNode> {
  events: FailoverEvent[];
  formerPrimary: N;
  newPrimary: N;
}

/**
 * ElastiCache's TestFailover for one shard (node group): the shard's
 * least-lagged replica takes over with CLUSTER FAILOVER (the primary pauses
 * writes and the replica catches up first, so no acknowledged write is
 * lost); then the former primary is recovered as a replica of the new one.
 * Events are reported in ElastiCache's order and words.
 */
export async function testFailover<N extends FailoverNode>(
  state: { topology: { name: string }; nodes: readonly N[] },
  shard: number,
  timeoutMs: number,
  onEvent: (event: FailoverEvent) => void,
): Promise<TestFailoverResult<N>> {
  const members = state.nodes.filter((n) => n.shard === shard);
  if (members.length === 0) throw new TestFailoverError(`no shard ${shard}: shards are numbered 1 to ${Math.max(...state.nodes.map((n) => n.shard))}`);
  const groupId = `${state.topology.name}-${String(shard).padStart(4, "0")}`;
  const events: FailoverEvent[] = [];
  const emit = (message: string) => {
    const event = { atMs: Date.now(), message };
    events.push(event);
    onEvent(event);
  };
  const roles = await Promise.all(members.map(async (node) => ({ node, role: await roleOf(node) })));
  const primary = roles.find((r) => r.role.kind === "master")?.node;
  if (primary === undefined) throw new TestFailoverError(`shard ${shard} has no reachable primary: a test failover needs one (see 'shardline status')`);
  const replicas = roles.filter((r) => r.role.kind === "slave" && r.role.linkUp);
  if (replicas.length === 0) throw new TestFailoverError(`shard ${shard} has no replica in sync with its primary: nothing to fail over to`);
  const best = replicas.sort((a, b) => b.role.offset - a.role.offset)[0]!.node;
  emit(`Test Failover API called for node group ${groupId}`);
  await command(best.host, best.port, "CLUSTER", "FAILOVER");
  const deadline = Date.now() + timeoutMs;
  await waitFor(deadline, `${best.name} to become primary`, async () => (await roleOf(best)).kind === "master");
  emit(`Failover from primary node ${primary.name} to replica node ${best.name} completed`);
  emit(`Recovering cache nodes ${primary.name}`);
  await waitFor(deadline, `${primary.name} to recover as a replica in sync`, async () => {
    const role = await roleOf(primary);
    return role.kind === "slave" && role.linkUp;
  });
  emit(`Finished recovery for cache nodes ${primary.name}`);
  return { events, formerPrimary: primary, newPrimary: best };
}

interface Role {
  kind: "master" | "slave" | "unknown";
  offset: number;
  linkUp: boolean;
}

async function roleOf(node: FailoverNode): Promise<Role> {
  try {
    const info = parseInfo(String(await command(node.host, node.port, "INFO", "replication")));
    const kind = info.role === "master" ? "master" : info.role === "slave" ? "slave" : "unknown";
    return { kind, offset: Number(info.slave_repl_offset ?? info.master_repl_offset ?? 0), linkUp: info.master_link_status === "up" };
  } catch {
    return { kind: "unknown", offset: 0, linkUp: false };
  }
}

async function waitFor(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new TestFailoverError(`test failover timed out waiting for ${what}; see the node logs in the run directory`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
