import IORedis from "ioredis";

const Redis = IORedis.default ?? IORedis;
type Connection = InstanceType<typeof Redis>;

/** Runs `use` with a short-lived connection to one node; rejects fast when the node does not answer. */
export async function withNode<T>(host: string, port: number, use: (redis: Connection) => Promise<T>, timeoutMs = 2000): Promise<T> {
  const redis = new Redis({ host, port, lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** Sends one command to a node and returns its reply. */
export function command(host: string, port: number, ...args: (string | number)[]): Promise<unknown> {
  return withNode(host, port, (redis) => redis.call(String(args[0]), ...args.slice(1).map(String)));
}

/** Parses `field:value` lines of INFO or CLUSTER INFO. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

export interface NodesLine {
  id: string;
  address: string;
  flags: string[];
  primaryId: string | undefined;
  configEpoch: number;
  connected: boolean;
  slots: string[];
}

/** Parses CLUSTER NODES text. */
export function parseClusterNodes(text: string): NodesLine[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const fields = line.trim().split(" ");
      return {
        id: fields[0]!,
        address: fields[1]!.split("@")[0]!,
        flags: fields[2]!.split(","),
        primaryId: fields[3] === "-" ? undefined : fields[3],
        configEpoch: Number(fields[6]),
        connected: fields[7] === "connected",
        slots: fields.slice(8),
      };
    });
}
