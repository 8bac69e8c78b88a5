import { settingsFromEnv } from '@onecheck/kit';

/** The credit service's settings, from its environment: the only module of the service that reads process.env. */
export const settings = () => settingsFromEnv('credit', process.env);
