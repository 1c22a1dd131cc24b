// A process worker of the threads build (see process.js): its own memory, and no thread pool.
import * as core from '../pkg/threads/threadlab.js';
import { answerOnce } from './process.js';

answerOnce(core);
