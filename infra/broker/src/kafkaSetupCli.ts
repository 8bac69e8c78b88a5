/**
 * `npm run -w @onecheck/broker kafka-setup`: regenerates infra/kafka/setup.sh and
 * infra/kafka/kafka.env from infra/kafka/access.json (a test fails while they are stale).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAccessFile } from './auth/access';
import { ACCESS_FILE } from './auth/credentials';
import { kafkaEnvFile, kafkaSetupScript } from './auth/kafkaSetup';

const kafkaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'kafka');

export { ACCESS_FILE };

/** Each generated file and its expected content. */
export function generatedKafkaFiles(): { file: string; content: string; mode: number }[] {
  const def = loadAccessFile(ACCESS_FILE);
  return [
    { file: path.join(kafkaDir, 'setup.sh'), content: kafkaSetupScript(def), mode: 0o755 },
    { file: path.join(kafkaDir, 'kafka.env'), content: kafkaEnvFile(def), mode: 0o644 },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const { file, content, mode } of generatedKafkaFiles()) {
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
