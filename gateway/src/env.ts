import { loadConfig } from '@onecheck/kit';
import { gatewayConfig } from './config';

/** The gateway's settings, from its environment: the only module of the gateway that reads process.env. */
export const gatewayEnv = () => loadConfig(gatewayConfig, process.env);
