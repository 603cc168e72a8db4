// Forks load-generator processes and turns their IPC messages into awaitable steps.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { GeneratorCommand, GeneratorMessage, GeneratorTask } from "./protocol";

type MessageOf<T extends GeneratorMessage["type"]> = Extract<GeneratorMessage, { type: T }>;

export interface GeneratorHandle {
  /** The next message of this type (messages that came earlier are kept until asked for). */
  next<T extends GeneratorMessage["type"]>(type: T): Promise<MessageOf<T>>;
  send(command: GeneratorCommand): void;
  kill(): void;
}

/** Every generator still running, so a deadline can stop them all. */
const running = new Set<ChildProcess>();

export function killAllGenerators(): void {
  for (const child of running) child.kill("SIGKILL");
}

export function forkGenerator(
  root: string,
  task: GeneratorTask,
  log: (line: string) => void,
): GeneratorHandle {
  const child = fork(path.join(root, "bench/generator.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  running.add(child);
  const inbox: GeneratorMessage[] = [];
  const waiters: Array<{
    type: GeneratorMessage["type"];
    resolve: (message: GeneratorMessage) => void;
    reject: (error: Error) => void;
  }> = [];
  let failure: Error | undefined;

  function deliver(): void {
    for (const waiter of [...waiters]) {
      const index = inbox.findIndex((message) => message.type === waiter.type);
      if (index >= 0) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(inbox.splice(index, 1)[0] as GeneratorMessage);
      } else if (failure) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.reject(failure);
      }
    }
  }

  child.on("message", (message: GeneratorMessage) => {
    if (message.type === "log") return log(message.line);
    if (message.type === "error") failure = new Error(`Load generator failed: ${message.error}`);
    else inbox.push(message);
    deliver();
  });
  child.once("exit", (code, signal) => {
    running.delete(child);
    failure ??= new Error(`Load generator exited (${signal ?? code}) before answering`);
    deliver();
  });
  child.send(task);

  return {
    next<T extends GeneratorMessage["type"]>(type: T) {
      return new Promise<MessageOf<T>>((resolve, reject) => {
        waiters.push({ type, resolve: (message) => resolve(message as MessageOf<T>), reject });
        deliver();
      });
    },
    send(command) {
      if (child.connected) child.send(command);
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
