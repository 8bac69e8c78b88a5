import { settingsFromEnv } from '@onecheck/kit';

/** The market service's settings, from its environment: the only module of the service that reads process.env. */
export const settings = () => settingsFromEnv('market', process.env);
