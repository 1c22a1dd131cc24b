// A process worker of the plain build (see process.js).
import * as core from '../pkg/plain/threadlab.js';
import { answerOnce } from './process.js';

answerOnce(core);
