import net from "node:net";
import { ClusterState, Random, type ClusterSettings } from "@shardline/core";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterDriver } from "../src/cluster-driver.js";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Peer {
  state: ClusterState;
  driver: ClusterDriver;
  timer: NodeJS.Timeout;
  logs: string[];
}

const peers: Peer[] = [];

afterEach(async () => {
  for (const peer of peers.splice(0)) {
    clearInterval(peer.timer);
    await peer.driver.close();
  }
});

/** A cluster layer on a real bus port, ticking 10 times a second on the wall clock. */
async function startPeer(secret: string, index: number): Promise<Peer> {
  const busPort = await freePort();
  const settings: ClusterSettings = {
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    allowReadsWhenDown: false,
    preferredEndpoint: "ip",
    ip: "127.0.0.1",
    port: 7000 + index,
    busPort,
    hostname: "",
    availabilityZone: `az-${index}`,
    noFailover: false,
  };
  const state = new ClusterState(settings, new Random(index + 1), Date.now());
  const logs: string[] = [];
  const endpoint = Object.assign(state, { countSendBufferLimitExceeded: () => state.linksBufferLimitExceeded++ });
  const driver = new ClusterDriver(endpoint, {
    host: "127.0.0.1",
    busPort,
    secret,
    nodesFile: undefined,
    frameBytesMax: 1 << 20,
    sendBufferBytesMax: 8 << 20,
    nowMs: () => Date.now(),
    log: (_level, message) => logs.push(message),
  });
  await driver.listen();
  const timer = setInterval(() => {
    state.tick(Date.now());
    driver.flush();
  }, 100);
  const peer = { state, driver, timer, logs };
  peers.push(peer);
  return peer;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("cluster bus over ws + msgpack", () => {
  it("forms a mesh of three nodes from two MEETs and converges on slots", async () => {
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => startPeer("s3cret", i)));
    a!.state.addSlots(Array.from({ length: 16384 }, (_, slot) => slot));
    a!.state.meet("127.0.0.1", b!.state.myself.port, b!.state.myself.busPort, Date.now());
    a!.state.meet("127.0.0.1", c!.state.myself.port, c!.state.myself.busPort, Date.now());
    a!.driver.flush();
    await until(() => [a, b, c].every((p) => p!.state.nodes.length === 3 && p!.state.nodes.every((n) => !n.handshake)), 10_000);
    await until(() => [b, c].every((p) => p!.state.slotOwnerId(16383) === a!.state.myId), 5_000);
    expect(c!.state.node(b!.state.myId)!.availabilityZone).toBe("az-1");
  });

  it("refuses a peer that does not know the cluster secret", async () => {
    const [a, intruder] = await Promise.all([startPeer("s3cret", 0), startPeer("wrong", 1)]);
    a!.state.meet("127.0.0.1", intruder!.state.myself.port, intruder!.state.myself.busPort, Date.now());
    a!.driver.flush();
    await until(() => a!.logs.some((l) => l.includes("cluster secret mismatch")) || intruder!.logs.some((l) => l.includes("cluster secret mismatch")), 5_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(intruder!.state.nodes.length).toBe(1);
    expect(a!.state.nodes.filter((n) => !n.handshake).length).toBe(1);
  });
});
