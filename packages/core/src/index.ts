export { assert, InvariantError } from "./assert.js";
export { ManualClock, type Clock } from "./clock.js";
export { Constants } from "./constants.js";
export { CommandError, Errors } from "./errors.js";
export { Random } from "./random.js";
export { ALL_COMMANDS, CommandTable } from "./commands/registry.js";
export { keyPositions, type CommandFlag, type CommandSpec } from "./commands/spec.js";
export { Client, type ConnectionInfo } from "./engine/client.js";
export { ConfigError, ConfigStore, parseMemory, type ConfigParameter } from "./engine/config.js";
export { CommandContext } from "./engine/context.js";
export { Engine, type EngineOptions, type LogLevel, type LogSink, type ProcessFacts, type PropagationListener } from "./engine/engine.js";
export { MAXMEMORY_POLICIES, PARAMETERS, type MaxmemoryPolicy } from "./engine/parameters.js";
export { Database } from "./keyspace/database.js";
export { IndexedMap } from "./keyspace/indexed-map.js";
export { Ledger, MemoryCost } from "./keyspace/ledger.js";
export { typeOf, type Aggregate, type TypeName, type Value } from "./keyspace/value.js";
export { globMatch } from "./util/glob.js";
export { SLOT_COUNT, crc16, keyHashSlot } from "./cluster/slots.js";
export { SlotSet, nodeFlags, type ClusterNode } from "./cluster/topology.js";
export { BUS_PROTOCOL_VERSION, type BusHeader, type BusMessage, type GossipEntry, type NodeFlagBits } from "./cluster/messages.js";
export { ClusterState, type ClusterEffect, type ClusterEvent, type ClusterSettings, type LinkSource } from "./cluster/state.js";
export { route, RoutingErrors, type RouteDecision, type RouteQuery, type RoutingView } from "./cluster/routing.js";
export { NodesFormatError, parseClusterNodesLine } from "./cluster/nodes-format.js";
export { DEFAULT_TOPOLOGY, placeNodes, splitSlots, topologyFrom, TopologyError, TOPOLOGY_LIMITS, validateTopology, type PlacedNode, type Topology } from "./topology/topology.js";
export { ReplicationMode } from "./engine/replication-mode.js";
export { Replication, type ReplicationEffect, type ReplicationSettings, type ReplicaLag } from "./replication/replication.js";
export type { PrimaryFrame, ReplicaFrame, SnapshotEntry } from "./replication/frames.js";
export { loadDataset, savePoints, takeDataset, type PersistedDataset } from "./engine/persistence.js";
export {
  CLEAR_SHAPE,
  deliveryTimeMs,
  FAULT_CHANNELS,
  FAULT_LIMITS,
  FaultRuleError,
  isClear,
  NetworkFaults,
  parseFaultRules,
  type FaultAction,
  type FaultChannel,
  type FaultDirection,
  type FaultRule,
  type Shape,
} from "./faults/network-faults.js";
export type { WriteTerm } from "./engine/write-terms.js";
