// The core's own description, `describe()` from the plain build in www/pkg (read as vite.config.js reads it): the
// tests take their mode lists from it instead of writing them out, so that a new mode is tested where it belongs.
import { readFileSync } from 'node:fs';

const core = await import(new URL('../../www/pkg/plain/threadlab.js', import.meta.url).href);
core.initSync({ module: readFileSync(new URL('../../www/pkg/plain/threadlab_bg.wasm', import.meta.url)) });
const { modes, experiments } = JSON.parse(core.describe());

/** Every mode, in the core's order; then those of each kind. */
export const MODES = modes.map((info) => info.mode);
export const CPU_MODES = modes.filter((info) => info.kind === 'cpu').map((info) => info.mode);
export const IO_MODES = modes.filter((info) => info.kind === 'io').map((info) => info.mode);

/** The modes the experiment `label` runs by default. */
export const modesOf = (label) => experiments.find((info) => info.label === label).modes;
