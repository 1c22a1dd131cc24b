// A deadline for a wait: the wait's own answer if it comes within `ms`, else an error saying `what` did not happen.
export function deadline(wait, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([wait, late]).finally(() => clearTimeout(timer));
}
