import { runMain, settingsFromEnv } from '@onecheck/kit';
import { startApproval } from './index';

await runMain(() => startApproval(settingsFromEnv('approval')));
