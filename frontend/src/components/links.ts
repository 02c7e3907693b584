import { createContext } from 'react';

/**
 * Where links to the app's own pages (a product page) go: null, in the app, is in-app navigation
 * (wouter); a base URL, in the widget on a shop's page, is that server's app, in a new tab (the
 * shop's page has no such routes).
 */
export const AppLinksContext = createContext<string | null>(null);
