// A process worker of the threads build (see process.js): its own memory, and no thread pool.
import * as core from '../pkg/threads/threadlab.js';
import { answering, once } from './process.js';

answering(once(core));
