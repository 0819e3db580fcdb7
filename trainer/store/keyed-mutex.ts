// Serialises work per key inside one process: the embedded server ignores If-None-Match, and its
// owning process is the only writer of the keys created that way, so an in-process lock suffices.

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier `run` for the same key has settled. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Forget the key once nobody queued behind us, so the map does not grow with every key.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
