/** Paths of the app's pages, in one place (features link to each other only through these). */
export const CHAT_PATH = '/';
export const CATALOG_PATH = '/brands';
/** The admin reports (not linked from the app; the server must have HSC_ADMIN_TOKEN set). */
export const ADMIN_PATH = '/admin';

export const brandPath = (brandId: string): string => `${CATALOG_PATH}/${encodeURIComponent(brandId)}`;
export const productPath = (productId: string): string => `/products/${encodeURIComponent(productId)}`;
/** The chat with this product already picked. */
export const askAboutPath = (productId: string): string => `${CHAT_PATH}?product=${encodeURIComponent(productId)}`;
