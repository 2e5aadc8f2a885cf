/**
 * The address plan of the compose network: every node gets a fixed IPv4
 * address, so it can announce that address (`cluster-announce-ip`) before
 * any peer has seen it; the one-shot containers (init, runner) take theirs
 * from a separate dynamic range, so Docker never hands a node's address to
 * them.
 *
 * For a subnet of size S (a /24 has S = 256): the gateway is the first host
 * address, nodes take addresses from NODE_ADDRESS_OFFSET on, and the upper
 * half of the subnet is the dynamic range.
 */

/** Where the nodes' addresses start: .10 for the first node, .11 for the second... (the low ones stay free for the gateway and whatever Docker reserves). */
export const NODE_ADDRESS_OFFSET = 10;
/** The smallest subnet that holds a gateway, a node and a dynamic range: a /27 (32 addresses). */
const PREFIX_LENGTH_MAX = 27;
/** The largest subnet accepted: a /16, which holds 32758 nodes, more than any topology has. */
const PREFIX_LENGTH_MIN = 16;

/** A subnet that cannot be used; the message says why and what to give instead. */
export class SubnetError extends Error {}

export interface NetworkPlan {
  /** The subnet in CIDR form, as given. */
  subnet: string;
  gateway: string;
  /** The dynamic range (CIDR): addresses Docker gives the containers without a fixed one. */
  dynamicRange: string;
  /** The fixed address of each node, by its index in port order. */
  nodeAddresses: string[];
}

/**
 * Plans the network for `nodeCount` nodes in `subnet` (IPv4 CIDR, e.g.
 * 10.213.0.0/24). Throws SubnetError when the subnet is malformed, not
 * aligned to its prefix, or too small for the nodes.
 */
export function planNetwork(subnet: string, nodeCount: number): NetworkPlan {
  const { base, prefixLength } = parseSubnet(subnet);
  const size = 2 ** (32 - prefixLength);
  const half = size / 2;
  const capacity = half - NODE_ADDRESS_OFFSET;
  if (nodeCount > capacity) {
    const larger = prefixLengthFor(nodeCount);
    const largerSize = 2 ** (32 - larger);
    throw new SubnetError(
      `subnet ${subnet} holds fixed addresses for ${capacity} nodes (its lower half, from .${NODE_ADDRESS_OFFSET}), but the topology has ${nodeCount}: give a larger subnet with --subnet, e.g. ${formatAddress(base - (base % largerSize))}/${larger}`,
    );
  }
  const nodeAddresses: string[] = [];
  for (let index = 0; index < nodeCount; index++) nodeAddresses.push(formatAddress(base + NODE_ADDRESS_OFFSET + index));
  return { subnet, gateway: formatAddress(base + 1), dynamicRange: `${formatAddress(base + half)}/${prefixLength + 1}`, nodeAddresses };
}

/** Parses `a.b.c.d/n`, refusing what Docker would refuse (bad octets, host bits set) and what cannot hold a plan. */
export function parseSubnet(subnet: string): { base: number; prefixLength: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(subnet);
  if (match === null) throw new SubnetError(`subnet '${subnet}' is not an IPv4 CIDR block: give one like 10.213.0.0/24`);
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) throw new SubnetError(`subnet '${subnet}' has an octet above 255`);
  const prefixLength = Number(match[5]);
  if (prefixLength < PREFIX_LENGTH_MIN || prefixLength > PREFIX_LENGTH_MAX) {
    throw new SubnetError(`subnet '${subnet}': the prefix length must be from /${PREFIX_LENGTH_MIN} to /${PREFIX_LENGTH_MAX}`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefixLength);
  const base = address - (address % size);
  if (base !== address) throw new SubnetError(`subnet '${subnet}' has host bits set: the block starts at ${formatAddress(base)}/${prefixLength}`);
  return { base, prefixLength };
}

/** Whether `address` (dotted IPv4) lies inside `subnet` (CIDR). */
export function subnetContains(subnet: string, address: string): boolean {
  const { base, prefixLength } = parseSubnet(subnet);
  const value = parseAddress(address);
  return value !== undefined && value >= base && value < base + 2 ** (32 - prefixLength);
}

/** A dotted IPv4 address as a number, or undefined when it is not one. */
export function parseAddress(address: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((sum, octet) => sum * 256 + octet, 0);
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** The longest prefix whose lower half holds `nodeCount` nodes from the offset. */
function prefixLengthFor(nodeCount: number): number {
  let prefixLength = PREFIX_LENGTH_MAX;
  while (prefixLength > PREFIX_LENGTH_MIN && 2 ** (32 - prefixLength) / 2 - NODE_ADDRESS_OFFSET < nodeCount) prefixLength--;
  return prefixLength;
}
