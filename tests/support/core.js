// The tests take their mode lists from the core's own description instead of writing them out, so that a new mode
// is tested where it belongs.
import { describeCore } from '../../scripts/describe.js';

const { modes, experiments } = await describeCore();

/** Every mode, in the core's order; then those of each kind. */
export const MODES = modes.map((info) => info.mode);
export const CPU_MODES = modes.filter((info) => info.kind === 'cpu').map((info) => info.mode);
export const IO_MODES = modes.filter((info) => info.kind === 'io').map((info) => info.mode);

/** The modes the experiment `label` runs by default. */
export const modesOf = (label) => experiments.find((info) => info.label === label).modes;
