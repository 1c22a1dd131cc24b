// A worker seen from the page (workers/core.js): `call(op, ...args)` resolves with the worker's answer, or rejects
// with a readable Error when the worker answers with one, dies, or is stopped. A stopped or dead worker is replaced
// on the next call. `load()`, when given, makes the argument of a first `load` call sent to every new worker before
// anything else (the compiled wasm module it instantiates); calls wait until it is done.
export class Remote {
  #spawn;
  #load;
  #name;
  #worker = null;
  #loaded = null;
  #pending = new Map();
  #nextId = 0;

  constructor(name, spawn, load = null) {
    this.#name = name;
    this.#spawn = spawn;
    this.#load = load;
  }

  async call(op, ...args) {
    const worker = this.#started();
    await this.#loaded;
    return this.#send(worker, op, args);
  }

  /** Whether the worker is alive (a call would otherwise start one). */
  get running() {
    return this.#worker !== null;
  }

  /** Stops the worker (and any worker it started); pending calls reject with `reason`. */
  stop(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    for (const { reject } of this.#pending.values()) reject(new Error(reason));
    this.#pending.clear();
  }

  #send(worker, op, args) {
    if (worker !== this.#worker) return Promise.reject(new Error(`the ${this.#name} worker was stopped`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  }

  #started() {
    if (this.#worker) return this.#worker;
    const worker = this.#spawn();
    worker.onmessage = ({ data: { id, value, error, broken } }) => {
      const call = this.#pending.get(id);
      this.#pending.delete(id);
      if (error === undefined) call?.resolve(value);
      else call?.reject(new Error(error));
      // A panic leaves the worker unusable, whether a call or nothing (id undefined) caught it: the next call gets a
      // fresh worker.
      if (broken) this.stop(`the ${this.#name} worker stopped: ${error}`);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.stop(`the ${this.#name} worker stopped: ${event.message || 'its script failed to load'}`);
    };
    worker.onmessageerror = () => this.stop(`the ${this.#name} worker sent a message that could not be read`);
    this.#worker = worker;
    this.#loaded = this.#load ? this.#load().then((args) => this.#send(worker, 'load', [args])) : Promise.resolve();
    this.#loaded.catch(() => {}); // a failed load is reported to the calls that wait for it
    return worker;
  }
}
