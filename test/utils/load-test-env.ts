import { join } from 'node:path';
import { readEnvFile } from './env-file';

for (const [key, value] of Object.entries(
  readEnvFile(join(__dirname, '..', '..', 'config', 'test.env')),
)) {
  process.env[key] ??= value;
}
