import { runMain, settingsFromEnv } from '@onecheck/kit';
import { startCredit } from './index';

await runMain(() => startCredit(settingsFromEnv('credit')));
