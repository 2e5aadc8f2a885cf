import { afterAll, beforeAll, describe, it } from "vitest";
import { RedisPair } from "./support/differential.js";
import { redisServerAvailable, skipReason } from "./support/processes.js";

describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("MOVE and SWAPDB match redis-server", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("moves keys with their TTL and refuses what Redis refuses", async () => {
    await pair.reset();
    await pair.same(
      ["SET", "k", "v", "EX", "1000"],
      ["MOVE", "k", "0"],
      ["MOVE", "k", "99"],
      ["MOVE", "k", "abc"],
      ["MOVE", "k", "-1"],
      ["MOVE", "k", "1"],
      ["MOVE", "k", "1"],
      ["MOVE", "nokey", "1"],
      ["SELECT", "1"],
      ["GET", "k"],
      ["TTL", "k"],
      ["SET", "taken", "1"],
      ["SELECT", "0"],
      ["SET", "taken", "0"],
      ["MOVE", "taken", "1"],
      ["GET", "taken"],
      ["MOVE"],
    );
  });

  it("swaps databases for every client, and refuses bad indexes", async () => {
    await pair.reset();
    await pair.same(
      ["SET", "in0", "a"],
      ["SELECT", "1"],
      ["RPUSH", "in1", "b"],
      ["SELECT", "0"],
      ["SWAPDB", "0", "abc"],
      ["SWAPDB", "abc", "0"],
      ["SWAPDB", "0", "99"],
      ["SWAPDB", "0", "1"],
      ["EXISTS", "in0"],
      ["LRANGE", "in1", "0", "-1"],
      ["SWAPDB", "1", "1"],
      ["DBSIZE"],
    );
  });
});
