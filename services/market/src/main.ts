import { runMain, settingsFromEnv } from '@onecheck/kit';
import { startMarket } from './index';

await runMain(() => startMarket(settingsFromEnv('market')));
