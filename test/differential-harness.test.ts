import { afterAll, beforeAll, describe, it } from "vitest";
import { RedisPair } from "./support/differential.js";
import { redisServerAvailable, skipReason } from "./support/processes.js";

describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("differential harness", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("sees identical replies for GET, SET, PING and unknown commands", async () => {
    await pair.same(["PING"], ["PING", "hello"], ["SET", "k", "v"], ["GET", "k"], ["GET", "missing"], ["NOSUCH", "a", "b"], ["GET"]);
  });
});
