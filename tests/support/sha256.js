// sha256 of `mib` MiB whose byte i is i mod 256, as every run's sha256 jobs must return it (its first 6 bytes, as the
// core, threadlab.py and the Python room's program give it): one definition for every suite.
import { createHash } from 'node:crypto';

export function sha256Value(mib) {
  const bytes = Buffer.alloc(mib << 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i & 255;
  return Number.parseInt(createHash('sha256').update(bytes).digest('hex').slice(0, 12), 16);
}
