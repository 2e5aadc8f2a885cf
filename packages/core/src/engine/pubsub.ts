import { globMatch } from "../util/glob.js";
import type { Client } from "./client.js";

/**
 * Channel and pattern subscriptions. Messages are written straight into the
 * subscribers' reply writers (push frames in RESP3, arrays in RESP2); the
 * engine then flushes those clients.
 */
export class PubSubRegistry {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();

  /** Returns true when the client was not yet subscribed. */
  subscribe(client: Client, channel: string): boolean {
    if (client.channels.has(channel)) return false;
    client.channels.add(channel);
    addTo(this.channels, channel, client);
    return true;
  }

  unsubscribe(client: Client, channel: string): boolean {
    if (!client.channels.delete(channel)) return false;
    removeFrom(this.channels, channel, client);
    return true;
  }

  psubscribe(client: Client, pattern: string): boolean {
    if (client.patterns.has(pattern)) return false;
    client.patterns.add(pattern);
    addTo(this.patterns, pattern, client);
    return true;
  }

  punsubscribe(client: Client, pattern: string): boolean {
    if (!client.patterns.delete(pattern)) return false;
    removeFrom(this.patterns, pattern, client);
    return true;
  }

  /** Drops every subscription of a client that is going away. */
  removeClient(client: Client): void {
    for (const channel of client.channels) removeFrom(this.channels, channel, client);
    for (const pattern of client.patterns) removeFrom(this.patterns, pattern, client);
    client.channels.clear();
    client.patterns.clear();
  }

  /**
   * Delivers `message` to subscribers of `channel` and of matching patterns;
   * returns the receivers (PUBLISH's reply) and calls `delivered` for each
   * client written to, so the engine can flush it.
   */
  publish(channel: string, message: string, delivered: (client: Client) => void): number {
    let receivers = 0;
    for (const client of this.channels.get(channel) ?? []) {
      const w = client.writer;
      w.pushHeader(3);
      w.bulk("message");
      w.bulk(channel);
      w.bulk(message);
      delivered(client);
      receivers++;
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const client of clients) {
        const w = client.writer;
        w.pushHeader(4);
        w.bulk("pmessage");
        w.bulk(pattern);
        w.bulk(channel);
        w.bulk(message);
        delivered(client);
        receivers++;
      }
    }
    return receivers;
  }
}

function addTo(map: Map<string, Set<Client>>, name: string, client: Client): void {
  let set = map.get(name);
  if (!set) map.set(name, (set = new Set()));
  set.add(client);
}

function removeFrom(map: Map<string, Set<Client>>, name: string, client: Client): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(client);
  if (set.size === 0) map.delete(name);
}
