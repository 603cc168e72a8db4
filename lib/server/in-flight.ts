// Keeps count of writes under way, so a shutdown can wait for them before closing the store.
export interface InFlight {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once nothing is under way. */
  drained(): Promise<void>;
}

export function createInFlight(): InFlight {
  let pending = 0;
  let waiters: Array<() => void> = [];
  return {
    async run(work) {
      pending++;
      try {
        return await work();
      } finally {
        if (--pending === 0) {
          waiters.forEach((resolve) => resolve());
          waiters = [];
        }
      }
    },
    drained() {
      return pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
