import type { Scenario } from '../../../lib/protocol';

export const SCENARIO_LABELS: Record<Scenario, string> = { general: 'General', studio: 'Studio', live: 'Live' };
