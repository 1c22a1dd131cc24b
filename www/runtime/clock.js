// The common clock, as the core's clock.rs reads it: milliseconds since the epoch, the same in the page and in every
// worker (each has its own timeOrigin), so that times taken in any of them line up.
export const now = () => performance.timeOrigin + performance.now();
