import { expect } from "vitest";
import { startRedisServer, startShardlineNode, type Spawned } from "./processes.js";
import { RawConnection } from "./raw-client.js";

/**
 * A real redis-server and a shardline-node side by side, each with one raw
 * connection, so a test can send both the same commands and require the same
 * bytes back. Use with `describe.skipIf(skipReason(redisServerAvailable, "redis-server"))`.
 *
 *   const pair = await RedisPair.start();
 *   await pair.same(["SET", "k", "v"], ["GET", "k"], ["LPUSH", "k", "x"]);
 *   await pair.stop();
 */
export class RedisPair {
  private constructor(
    readonly redis: Spawned,
    readonly shardline: Spawned,
    readonly redisConnection: RawConnection,
    readonly shardlineConnection: RawConnection,
  ) {}

  /** Starts both servers with the same extra `--name value` arguments. */
  static async start(extraArgs: string[] = []): Promise<RedisPair> {
    const [redis, shardline] = await Promise.all([startRedisServer(extraArgs), startShardlineNode(extraArgs)]);
    try {
      const [rc, sc] = await Promise.all([RawConnection.connect(redis.port), RawConnection.connect(shardline.port)]);
      return new RedisPair(redis, shardline, rc, sc);
    } catch (error) {
      await Promise.all([redis.stop(), shardline.stop()]);
      throw error;
    }
  }

  /** Sends each command to both servers and expects byte-identical replies, command by command. */
  async same(...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const [expected, actual] = await this.both(command);
      expect(actual, `reply to ${JSON.stringify(command)}`).toBe(expected);
    }
  }

  /** Sends one command to both and returns [redis reply, shardline reply] as raw RESP text. */
  async both(command: string[]): Promise<[string, string]> {
    return Promise.all([this.redisConnection.command(...command), this.shardlineConnection.command(...command)]);
  }

  /** FLUSHALL on both, between cases. */
  async reset(): Promise<void> {
    await this.both(["FLUSHALL"]);
  }

  async stop(): Promise<void> {
    this.redisConnection.close();
    this.shardlineConnection.close();
    await Promise.all([this.redis.stop(), this.shardline.stop()]);
  }
}
