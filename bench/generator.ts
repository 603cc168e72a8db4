// The load generator: a separate process (forked by bench/run.ts) that runs one scenario against
// one server, takes its next command over IPC and reports back the same way.
import type { GeneratorCommand, GeneratorMessage, GeneratorTask } from "./lib/protocol";
import { prepareFanout } from "./scenarios/fanout";
import { createIdleShard } from "./scenarios/idle";
import { runStorm } from "./scenarios/storm";

function tell(message: GeneratorMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

const log = (line: string) => void tell({ type: "log", line });

/** Runs each command in turn; "close" ends the process after `close`. */
function obey(handle: (command: GeneratorCommand) => Promise<void>, close: () => void): void {
  let queue = Promise.resolve();
  process.on("message", (command: GeneratorCommand) => {
    if (command.type === "close") {
      close();
      process.exit(0);
    }
    queue = queue.then(() => handle(command)).catch(fail);
  });
}

async function run(task: GeneratorTask): Promise<void> {
  if (task.scenario === "idle") {
    const shard = createIdleShard(task.target, task.config);
    obey(async (command) => {
      if (command.type === "connect") await tell({ type: "connected", ...(await shard.connect()) });
    }, shard.close);
    await tell({ type: "seated", ...(await shard.seat()) });
  } else if (task.scenario === "fanout") {
    const room = await prepareFanout(task.target, task.config, log);
    obey(async (command) => {
      if (command.type === "step") {
        const step = await room.step(command.ratePerMember, command.seconds, command.id);
        await tell({ type: "stepped", step });
      } else if (command.type === "profile") {
        await room.profile(command.action);
        await tell({ type: "profiled" });
      }
    }, room.close);
    await tell({ type: "ready", ...room.ready });
  } else {
    const result = await runStorm(task.target, task.config, log);
    await tell({ type: "result", result });
    process.exit(0);
  }
}

function fail(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  void tell({ type: "error", error: text }).then(() => process.exit(1));
}

process.once("message", (task: GeneratorTask) => run(task).catch(fail));
// An orphaned generator (the orchestrator died) must not go on loading the machine.
process.on("disconnect", () => process.exit(0));
