import { Engine, ManualClock, Random, type Client } from "@shardline/core";
import { describe, expect, it } from "vitest";

/**
 * The RESP codec as the engine drives it: bytes in through `receive`, replies
 * out of the client's writer, and the close decisions Redis makes on framing
 * errors and on the query buffer limit. No sockets; a manual clock.
 */

function connect(config: [string, string][] = []): { engine: Engine; client: Client } {
  const engine = new Engine({ clock: new ManualClock(), random: new Random(1), config });
  const client = engine.connect({ address: "127.0.0.1:1", localAddress: "127.0.0.1:2" });
  return { engine, client };
}

function send(engine: Engine, client: Client, text: string): string {
  engine.receive(client, Buffer.from(text, "latin1"));
  return client.writer.take();
}

const PING = "*1\r\n$4\r\nPING\r\n";

describe("RESP through the engine", () => {
  it("runs pipelined commands split across reads in order", () => {
    const { engine, client } = connect();
    const input = PING + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n" + "GET k\r\n" + PING;
    let replies = "";
    for (let index = 0; index < input.length; index += 3) replies += send(engine, client, input.slice(index, index + 3));
    expect(replies).toBe("+PONG\r\n+OK\r\n$5\r\nhello\r\n+PONG\r\n");
  });

  it("answers a framing error after the commands before it, then closes after the reply", () => {
    const { engine, client } = connect();
    expect(send(engine, client, PING + "*1\r\n$x\r\n" + PING)).toBe("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    expect(client.closeAfterReply).toBe(true);
    expect(send(engine, client, PING)).toBe("");
  });

  it("closes without a reply a client that passes client-query-buffer-limit", () => {
    const { engine, client } = connect([["client-query-buffer-limit", "1mb"]]);
    expect(send(engine, client, "*2\r\n$4\r\nECHO\r\n$2000000\r\n")).toBe("");
    expect(client.closeNow).toBe(false);
    expect(send(engine, client, "x".repeat(1024 * 1024))).toBe("");
    expect(client.closeNow).toBe(true);
  });

  it("applies a proto-max-bulk-len change to connected clients", () => {
    const { engine, client } = connect();
    expect(send(engine, client, "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$18\r\nproto-max-bulk-len\r\n")).toBe("");
    expect(send(engine, client, "$3\r\n2mb\r\n")).toBe("+OK\r\n");
    expect(send(engine, client, "*2\r\n$4\r\nECHO\r\n$2097153\r\n")).toBe("-ERR Protocol error: invalid bulk length\r\n");
  });

  it("lifts the unauthenticated bounds once AUTH succeeds", () => {
    const { engine, client } = connect([["requirepass", "pw"]]);
    expect(send(engine, client, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n")).toBe("+OK\r\n");
    const other = engine.connect({ address: "127.0.0.1:3", localAddress: "127.0.0.1:2" });
    expect(send(engine, other, "*11\r\n")).toBe("-ERR Protocol error: unauthenticated multibulk length\r\n");
  });
});
