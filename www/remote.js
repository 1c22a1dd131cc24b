// A worker seen from the page: `call(op, args)` resolves with the worker's answer, or rejects with a readable
// Error when the worker answers with one, dies, or is stopped. A stopped or dead worker is replaced on the next call.
export class Remote {
  #spawn;
  #name;
  #worker = null;
  #pending = new Map();
  #nextId = 0;

  constructor(name, spawn) {
    this.#name = name;
    this.#spawn = spawn;
  }

  call(op, args) {
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  }

  /** Stops the worker (and any worker it started); pending calls reject with `reason`. */
  stop(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    for (const { reject } of this.#pending.values()) reject(new Error(reason));
    this.#pending.clear();
  }

  #started() {
    if (this.#worker) return this.#worker;
    const worker = this.#spawn();
    worker.onmessage = ({ data: { id, value, error } }) => {
      const call = this.#pending.get(id);
      this.#pending.delete(id);
      if (error === undefined) call?.resolve(value);
      else call?.reject(new Error(error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.stop(`the ${this.#name} worker stopped: ${event.message || 'its script failed to load'}`);
    };
    worker.onmessageerror = () => this.stop(`the ${this.#name} worker sent a message that could not be read`);
    return (this.#worker = worker);
  }
}
