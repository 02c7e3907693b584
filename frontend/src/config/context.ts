import { createContext, useContext } from 'react';
import { DEFAULT_CONFIG, type RuntimeConfig } from './runtime';

/** The run-time config (`GET /api/config`), provided by main.tsx (app) or the widget's panel. */
export const ConfigContext = createContext<RuntimeConfig>({ ...DEFAULT_CONFIG, apiBaseUrl: '' });

export const useConfig = (): RuntimeConfig => useContext(ConfigContext);
