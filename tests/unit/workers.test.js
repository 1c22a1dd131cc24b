// The page's side of its workers (www/runtime: remote.js, pool.js, processes.js, hosts.js) with a fake Worker in
// Node: what each sends, in which order, and how an answer, an error, a death, a stop or a pool that never starts ends
// a call.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';

/** A Worker that records what it is sent; a test answers for it with `answer`, `fail` or `die`. */
class FakeWorker {
  static made = [];
  sent = [];
  terminated = false;
  errorListeners = [];
  constructor(url, options) {
    Object.assign(this, { url: String(url), options });
    FakeWorker.made.push(this);
  }
  postMessage(message) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  addEventListener(type, listener) {
    if (type === 'error') this.errorListeners.push(listener);
  }
  /** Answers the last message sent (or `id`) as workers/core.js does. */
  answer(value, id = this.sent.at(-1).id) {
    this.onmessage({ data: { id, value } });
  }
  die(message) {
    const event = { message, preventDefault() {} };
    this.onerror?.(event);
    for (const listener of this.errorListeners) listener(event);
  }
}

const settled = () => new Promise(setImmediate);
const ops = (worker) => worker.sent.map((message) => message.op);

beforeEach(() => {
  FakeWorker.made = [];
  globalThis.Worker = FakeWorker;
});
afterEach(() => {
  delete globalThis.Worker;
  mock.timers.reset();
});

const { Remote } = await import('../../www/runtime/remote.js');
const { Core } = await import('../../www/runtime/pool.js');
const { inFreshWorkers } = await import('../../www/runtime/processes.js');
const { Hosts } = await import('../../www/runtime/hosts.js');

const remote = (load = null) => new Remote('core', () => new FakeWorker('core.js'), load);

test('Remote: the load goes first, a call waits for it and resolves with its answer', async () => {
  const core = remote(async () => 'the module');
  const answered = core.call('describe');
  await settled();
  const [worker] = FakeWorker.made;
  assert.deepEqual(worker.sent, [{ id: 0, op: 'load', args: ['the module'] }]);
  worker.answer(null);
  await settled();
  assert.deepEqual(ops(worker), ['load', 'describe']);
  worker.answer('{"modes":[]}');
  assert.equal(await answered, '{"modes":[]}');
  assert.equal(core.running, true);
});

test('Remote: an error answer rejects that call alone; the worker stays', async () => {
  const core = remote();
  const first = core.call('run', 'spec');
  const second = core.call('describe');
  await settled();
  const [worker] = FakeWorker.made;
  worker.onmessage({ data: { id: 0, error: 'n must be a whole number' } });
  await assert.rejects(first, { message: 'n must be a whole number' });
  worker.answer('ok', 1);
  assert.equal(await second, 'ok');
  assert.equal(FakeWorker.made.length, 1);
});

test('Remote: a worker that dies rejects every pending call with why, and the next call starts a fresh one', async () => {
  const core = remote();
  const pending = [core.call('run'), core.call('run')];
  await settled();
  FakeWorker.made[0].die('out of memory');
  for (const call of pending) await assert.rejects(call, { message: 'the core worker stopped: out of memory' });
  assert.equal(core.running, false);
  const again = core.call('describe');
  await settled();
  assert.equal(FakeWorker.made.length, 2);
  assert.equal(FakeWorker.made[0].terminated, true);
  FakeWorker.made[1].answer('fresh');
  assert.equal(await again, 'fresh');
});

test('Remote: a panic (broken) outside any call, an unreadable message, or a stop all end the worker', async () => {
  const core = remote();
  const waiting = core.call('run');
  await settled();
  FakeWorker.made[0].onmessage({ data: { error: 'panicked at fib.rs', broken: true } });
  await assert.rejects(waiting, { message: 'the core worker stopped: panicked at fib.rs' });

  const unread = core.call('run');
  await settled();
  FakeWorker.made[1].onmessageerror();
  await assert.rejects(unread, { message: 'the core worker sent a message that could not be read' });

  const stopped = core.call('run');
  await settled();
  core.stop('cancelled');
  await assert.rejects(stopped, { message: 'cancelled' });
  assert.deepEqual(
    FakeWorker.made.map((worker) => worker.terminated),
    [true, true, true],
  );
});

test('Remote: a load that fails rejects the calls that wait for it', async () => {
  const core = remote(async () => {
    throw new Error('the wasm module could not be compiled');
  });
  await assert.rejects(core.call('describe'), { message: 'the wasm module could not be compiled' });
});

test('Core: the core worker is workers/core.js as a module; a pool start reports its threads and time', async () => {
  const core = new Core(async (warm) => ({ warm }));
  const started = [];
  core.onPool = (pool) => started.push(pool);
  const pooled = core.pooled(2);
  await settled();
  const [worker] = FakeWorker.made;
  assert.match(worker.url, /\/www\/workers\/core\.js$/);
  assert.deepEqual(worker.options, { type: 'module', name: 'core' });
  assert.deepEqual(worker.sent[0].args, [{ warm: true }]);
  worker.answer(null);
  await settled();
  assert.deepEqual(worker.sent[1], { id: 1, op: 'startPool', args: [2] });
  worker.answer(37.5);
  await pooled;
  assert.deepEqual([core.poolSize, started], [2, [{ threads: 2, ms: 37.5 }]]);
  // Another size stops this pool's worker; the next one is loaded warm.
  const resized = core.pooled(1);
  await settled();
  assert.equal(worker.terminated, true);
  assert.deepEqual(FakeWorker.made[1].sent[0].args, [{ warm: false }]);
  FakeWorker.made[1].answer(null);
  await settled();
  FakeWorker.made[1].answer(null); // a pool already there: no start to report
  await resized;
  assert.deepEqual([core.poolSize, started.length], [1, 1]);
});

test('Core: a pool that does not start in 5 s is tried again in a fresh worker, 4 times in all, then refused with why', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const core = new Core(async () => 'module');
  // A question asked meanwhile is asked again in the fresh worker.
  const question = core.call('describe');
  const pooled = core.pooled(4);
  await settled();
  FakeWorker.made[0].answer(null, 0); // loaded; neither describe nor startPool answers
  await settled();
  assert.deepEqual(ops(FakeWorker.made[0]), ['load', 'describe', 'startPool']);
  mock.timers.tick(5_000);
  await settled();
  assert.equal(FakeWorker.made.length, 2);
  assert.equal(FakeWorker.made[0].terminated, true);
  FakeWorker.made[1].answer(null, FakeWorker.made[1].sent[0].id);
  await settled();
  assert.deepEqual(ops(FakeWorker.made[1]).sort(), ['describe', 'load', 'startPool']);
  const asked = FakeWorker.made[1].sent.find((message) => message.op === 'describe');
  FakeWorker.made[1].answer('described', asked.id);
  assert.equal(await question, 'described');
  // Two more fresh workers, each given up in turn; none is left running.
  for (const fresh of [2, 3]) {
    mock.timers.tick(5_000);
    await settled();
    assert.equal(FakeWorker.made.length, fresh + 1);
    FakeWorker.made[fresh].answer(null, FakeWorker.made[fresh].sent[0].id);
    await settled();
  }
  mock.timers.tick(5_000);
  await assert.rejects(pooled, /^Error: the thread pool did not start within 5 s, 4 times\. Other pages/);
  assert.equal(core.poolSize, 0);
  assert.ok(FakeWorker.made.every((worker) => worker.terminated));
});

test('Core: a pool that starts in its second fresh worker is the pool, and its start is reported', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const core = new Core(async () => 'module');
  const started = [];
  core.onPool = (pool) => started.push(pool);
  const pooled = core.pooled(2);
  await settled();
  FakeWorker.made[0].answer(null, 0); // loaded; its startPool never answers
  await settled();
  mock.timers.tick(5_000);
  await settled();
  FakeWorker.made[1].answer(null, FakeWorker.made[1].sent[0].id);
  await settled();
  const start = FakeWorker.made[1].sent.find((message) => message.op === 'startPool');
  FakeWorker.made[1].answer(30.5, start.id);
  await pooled;
  assert.deepEqual([core.poolSize, started, FakeWorker.made.length], [2, [{ threads: 2, ms: 30.5 }], 2]);
});

test('inFreshWorkers: one fresh worker per job, each told its index and creation time; answers in order', async () => {
  const signal = new AbortController().signal;
  const answers = inFreshWorkers('plain', 3, 'process', (index) => ({ job: index * 10 }), signal);
  const workers = FakeWorker.made;
  assert.equal(workers.length, 3);
  for (const [index, worker] of workers.entries()) {
    assert.match(worker.url, /\/www\/workers\/process-plain\.js$/);
    assert.deepEqual(worker.options, { type: 'module', name: `process ${index}` });
    const [{ job, index: told, created }] = worker.sent;
    assert.deepEqual([job, told, typeof created], [index * 10, index, 'number']);
  }
  for (const index of [2, 0, 1]) workers[index].onmessage({ data: { result: `job ${index}` } });
  assert.deepEqual(await answers, ['job 0', 'job 1', 'job 2']);
  assert.ok(workers.every((worker) => worker.terminated));
  inFreshWorkers('threads', 1, 'process', () => ({}), signal).catch(() => {});
  assert.match(FakeWorker.made[3].url, /\/www\/workers\/process-threads\.js$/);
});

test('inFreshWorkers: an error, a death or a cancel ends the whole run and terminates every worker', async () => {
  const signal = new AbortController().signal;
  const failed = inFreshWorkers('plain', 2, 'process', () => ({}), signal);
  FakeWorker.made[1].onmessage({ data: { error: 'fib(46) is past the limit' } });
  await assert.rejects(failed, { message: 'process 1: fib(46) is past the limit' });
  assert.ok(FakeWorker.made.every((worker) => worker.terminated));

  const died = inFreshWorkers('plain', 2, 'process', () => ({}), signal);
  FakeWorker.made[2].die('');
  await assert.rejects(died, { message: 'process 0 died: its script failed to load' });

  const cancel = new AbortController();
  const cancelled = inFreshWorkers('plain', 2, 'process', () => ({}), cancel.signal);
  cancel.abort(new Error('cancelled'));
  await assert.rejects(cancelled, { message: 'cancelled' });
  assert.ok(FakeWorker.made.every((worker) => worker.terminated));
});

test('inFreshWorkers: untilFirst tells the others to stop once the first has answered', async () => {
  const signal = new AbortController().signal;
  const run = inFreshWorkers('plain', 3, 'request', () => ({}), signal, true);
  const [first, ...others] = FakeWorker.made;
  first.onmessage({ data: { result: 'first' } });
  await settled();
  for (const worker of others) assert.deepEqual(worker.sent.at(-1), { stop: true });
  for (const worker of others) worker.onmessage({ data: { result: 'stopped' } });
  assert.deepEqual(await run, ['first', 'stopped', 'stopped']);
});

test('Hosts: started once, before the run, kept after it; one that fails, dies or is stopped is replaced', async () => {
  const signal = new AbortController().signal;
  const hosts = new Hosts();
  const ready = hosts.ready(2, signal);
  assert.deepEqual(
    FakeWorker.made.map((worker) => [worker.url.replace(/.*\/www\//, ''), worker.options.name]),
    [
      ['workers/interpreter.js', 'interpreter host 0'],
      ['workers/interpreter.js', 'interpreter host 1'],
    ],
  );
  for (const worker of FakeWorker.made) worker.onmessage({ data: { ready: true } });
  await ready;
  await hosts.ready(1, signal);
  assert.equal(FakeWorker.made.length, 2, 'hosts already running are not started again');

  const job = (index) => ({ job: index });
  const answers = inFreshWorkers('threads', 2, 'interpreter', job, signal, false, hosts);
  assert.equal(FakeWorker.made.length, 2, 'a run in hosts starts no worker');
  for (const [index, worker] of FakeWorker.made.entries()) worker.onmessage({ data: { result: `job ${index}` } });
  assert.deepEqual(await answers, ['job 0', 'job 1']);
  assert.ok(
    FakeWorker.made.every((worker) => !worker.terminated),
    'hosts outlive their run',
  );

  const failed = inFreshWorkers('threads', 2, 'interpreter', job, signal, false, hosts);
  FakeWorker.made[0].onmessage({ data: { error: 'out of memory' } });
  await assert.rejects(failed, { message: 'interpreter 0: out of memory' });
  assert.ok(
    FakeWorker.made.every((worker) => worker.terminated),
    "the run's hosts go with its failure",
  );
  assert.equal(hosts.size, 0);

  const restarted = hosts.ready(2, signal);
  assert.equal(FakeWorker.made.length, 4);
  for (const worker of FakeWorker.made.slice(2)) worker.onmessage({ data: { ready: true } });
  await restarted;
  FakeWorker.made[3].die('');
  assert.deepEqual([hosts.size, FakeWorker.made[3].terminated], [1, true], 'a host that dies idle is forgotten');
  hosts.drop();
  assert.deepEqual([hosts.size, FakeWorker.made[2].terminated], [0, true]);

  const cancel = new AbortController();
  const starting = hosts.ready(1, cancel.signal);
  cancel.abort(new Error('cancelled'));
  await assert.rejects(starting, { message: 'cancelled' });
  assert.deepEqual([hosts.size, FakeWorker.made[4].terminated], [0, true]);
});
