import type { SimpleKey } from '../../../i18n';
import type { Scenario } from '../../../lib/protocol';

/** The catalog key of each scenario's name: `t(SCENARIO_KEYS[scenario])`. */
export const SCENARIO_KEYS: Record<Scenario, SimpleKey> = { general: 'scenario.general', studio: 'scenario.studio', live: 'scenario.live' };
