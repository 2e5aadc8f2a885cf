import { globMatch } from "../util/glob.js";
import type { Client } from "./client.js";

/** The three kinds of subscription Redis 7 keeps apart. */
export type SubscriptionKind = "channel" | "pattern" | "shard";

/** Reply words per kind: the confirmation pushes and the message frame. */
const WORDS: Record<SubscriptionKind, { subscribe: string; unsubscribe: string }> = {
  channel: { subscribe: "subscribe", unsubscribe: "unsubscribe" },
  pattern: { subscribe: "psubscribe", unsubscribe: "punsubscribe" },
  shard: { subscribe: "ssubscribe", unsubscribe: "sunsubscribe" },
};

/**
 * Channel, pattern and shard-channel subscriptions. Confirmations and
 * messages are written straight into the clients' reply writers (push frames
 * in RESP3, arrays in RESP2); the engine then flushes those clients.
 *
 * As in Redis 7.0, the count in a (un)subscribe confirmation is the client's
 * channels plus patterns for SUBSCRIBE/PSUBSCRIBE, and its shard channels
 * alone for SSUBSCRIBE.
 */
export class PubSubRegistry {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  /** Subscribes and writes the confirmation; returns true when the client was not yet subscribed. */
  join(client: Client, kind: SubscriptionKind, name: string): boolean {
    const added = this.add(client, kind, name);
    confirm(client, WORDS[kind].subscribe, name, countFor(client, kind));
    return added;
  }

  /** Unsubscribes and writes the confirmation (Redis confirms even a name the client never had). */
  leave(client: Client, kind: SubscriptionKind, name: string): boolean {
    const removed = this.remove(client, kind, name);
    confirm(client, WORDS[kind].unsubscribe, name, countFor(client, kind));
    return removed;
  }

  /**
   * Unsubscribes from every name of a kind, one confirmation each; with none
   * to drop, one confirmation with a nil name, as Redis replies.
   */
  leaveAll(client: Client, kind: SubscriptionKind, notify = true): number {
    const names = [...ownSet(client, kind)];
    for (const name of names) {
      this.remove(client, kind, name);
      if (notify) confirm(client, WORDS[kind].unsubscribe, name, countFor(client, kind));
    }
    if (names.length === 0 && notify) confirm(client, WORDS[kind].unsubscribe, undefined, countFor(client, kind));
    return names.length;
  }

  /** Drops every subscription of a client that is going away or resetting, without confirmations. */
  removeClient(client: Client): void {
    this.leaveAll(client, "channel", false);
    this.leaveAll(client, "pattern", false);
    this.leaveAll(client, "shard", false);
  }

  /** Subscribes to a channel without a confirmation reply (for the server's own use and tests). */
  subscribe(client: Client, channel: string): boolean {
    return this.add(client, "channel", channel);
  }

  unsubscribe(client: Client, channel: string): boolean {
    return this.remove(client, "channel", channel);
  }

  psubscribe(client: Client, pattern: string): boolean {
    return this.add(client, "pattern", pattern);
  }

  punsubscribe(client: Client, pattern: string): boolean {
    return this.remove(client, "pattern", pattern);
  }

  /**
   * Delivers `message` to subscribers of `channel` and then of matching
   * patterns, in subscription order; returns the number of deliveries
   * (PUBLISH's reply) and calls `delivered` for each client written to.
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

  /** SPUBLISH: delivers to the subscribers of a shard channel (patterns do not apply). */
  publishShard(channel: string, message: string, delivered: (client: Client) => void): number {
    let receivers = 0;
    for (const client of this.shardChannels.get(channel) ?? []) {
      const w = client.writer;
      w.pushHeader(3);
      w.bulk("smessage");
      w.bulk(channel);
      w.bulk(message);
      delivered(client);
      receivers++;
    }
    return receivers;
  }

  /** Subscribers of each channel, patterns excluded (PUBSUB NUMSUB / SHARDNUMSUB). */
  subscriberCount(kind: "channel" | "shard", channel: string): number {
    return this.registry(kind).get(channel)?.size ?? 0;
  }

  /** Active channels of a kind matching a glob pattern (PUBSUB CHANNELS / SHARDCHANNELS). */
  activeChannels(kind: "channel" | "shard", pattern: string | undefined): string[] {
    const names: string[] = [];
    for (const name of this.registry(kind).keys()) if (pattern === undefined || globMatch(pattern, name)) names.push(name);
    return names;
  }

  private add(client: Client, kind: SubscriptionKind, name: string): boolean {
    const own = ownSet(client, kind);
    if (own.has(name)) return false;
    own.add(name);
    addTo(this.registry(kind), name, client);
    return true;
  }

  private remove(client: Client, kind: SubscriptionKind, name: string): boolean {
    if (!ownSet(client, kind).delete(name)) return false;
    removeFrom(this.registry(kind), name, client);
    return true;
  }

  private registry(kind: SubscriptionKind): Map<string, Set<Client>> {
    return kind === "channel" ? this.channels : kind === "pattern" ? this.patterns : this.shardChannels;
  }
}

function ownSet(client: Client, kind: SubscriptionKind): Set<string> {
  return kind === "channel" ? client.channels : kind === "pattern" ? client.patterns : client.shardChannels;
}

function countFor(client: Client, kind: SubscriptionKind): number {
  return kind === "shard" ? client.shardChannels.size : client.channels.size + client.patterns.size;
}

/** `[word, name, count]`, a push frame in RESP3; a missing name is a nil. */
function confirm(client: Client, word: string, name: string | undefined, count: number): void {
  const w = client.writer;
  w.pushHeader(3);
  w.bulk(word);
  if (name === undefined) w.nullBulk();
  else w.bulk(name);
  w.integer(count);
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
