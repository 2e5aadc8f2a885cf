import { ControlClient } from "@shardline/server";
import type { BackendNode } from "./backend.js";

/**
 * The runner's control links, one per node, opened on first use and
 * reopened after a node restarts (its old link died with it).
 */
export class Controls {
  private readonly links = new Map<string, ControlClient>();

  constructor(private readonly secret: string) {}

  async of(node: BackendNode, timeoutMs = 3000): Promise<ControlClient> {
    const open = this.links.get(node.name);
    if (open !== undefined && open.isOpen) return open;
    open?.close();
    const client = await ControlClient.connect(node.host, node.busPort, this.secret, timeoutMs);
    this.links.set(node.name, client);
    return client;
  }

  close(): void {
    for (const client of this.links.values()) client.close();
    this.links.clear();
  }
}
