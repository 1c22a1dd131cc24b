// A process worker of the plain build (see process.js).
import * as core from '../pkg/plain/threadlab.js';
import { answering, once } from './process.js';

answering(once(core));
