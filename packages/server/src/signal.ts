/**
 * A typed announcement that one part makes and others react to: the part that owns a fact
 * ("a session ended", "a job was enqueued", "a message was published") emits it, and server.ts
 * subscribes the parts that care, in one place. So no part holds a callback into a part built
 * after it, and a reader finds every reaction in server.ts's "Who reacts to what".
 *
 * Listeners run synchronously, in subscription order, and must be quick (they run on the
 * emitter's path). One that throws does not stop the others; its error is thrown to the emitter
 * once all have run, as it would have been had the emitter called it directly.
 */
export class Signal<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Returns the function that unsubscribes `listener`. */
  on(listener: (value: T) => void): () => void {
    // A wrapper per subscription, so one function subscribed twice is called twice and
    // unsubscribes once each.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(value: T): void {
    const errors: unknown[] = [];
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "several listeners failed");
  }
}
