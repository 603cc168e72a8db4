// Prometheus metrics for this node: sockets, rooms, messages, acknowledgement latency and the
// process's own figures (event-loop delay, memory, CPU) from prom-client's defaults.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ChatMetrics {
  registry: Registry;
  messagesStored: Counter;
  messagesDelivered: Counter;
  ackSeconds: Histogram;
}

export function createMetrics(live: { sockets: () => number; rooms: () => number }): ChatMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  new Gauge({
    name: "roomcode_connected_sockets",
    help: "Sockets connected to this node.",
    registers: [registry],
    collect() {
      this.set(live.sockets());
    },
  });
  new Gauge({
    name: "roomcode_active_rooms",
    help: "Rooms with at least one socket on this node.",
    registers: [registry],
    collect() {
      this.set(live.rooms());
    },
  });
  return {
    registry,
    messagesStored: new Counter({
      name: "roomcode_messages_stored_total",
      help: "Chat messages stored by this node (retries of stored messages not counted).",
      registers: [registry],
    }),
    messagesDelivered: new Counter({
      name: "roomcode_messages_delivered_total",
      help: "Messages handed to sockets on this node by broadcasts this node made.",
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: "roomcode_message_ack_seconds",
      help: "From receiving a message to acknowledging it stored.",
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
