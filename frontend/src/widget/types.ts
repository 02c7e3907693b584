/** What the loader (widget.js) and the panel bundle agree on. */
import type { Lang } from '../i18n/translate';
import type { Scenario } from '../lib/protocol';

/** The script tag's data-* attributes, checked (see options.ts). */
export interface WidgetOptions {
  /** The support server, for the socket and the HTTP API: `data-server`, else the script's origin. */
  server: string;
  /** `data-lang` when it names a language this build has; null: the browser's, then the server's default. */
  lang: Lang | null;
  /** `data-scenario`: the scenario to start in. */
  scenario: Scenario | null;
  /** `data-brand`: predict only this brand's products. */
  brand: string | null;
  /** `data-open="true"`: open the panel at load. */
  open: boolean;
}

export interface MountOptions extends Omit<WidgetOptions, 'open'> {
  /** Where the panel renders (inside the loader's shadow root). */
  container: HTMLElement;
  /** The shadow root: the panel puts its stylesheet there. */
  shadowRoot: ShadowRoot;
  /** The id the panel gives its title (the dialog is labelled by it). */
  titleId: string;
  /** The reader closed the panel from inside (its close button, Escape). */
  onClose: () => void;
}

export interface PanelHandle {
  /** Moves the focus into the panel (the input box). */
  focus(): void;
  unmount(): void;
}

/** The panel bundle's exports (`import()`ed by the loader). */
export interface PanelModule {
  mount(options: MountOptions): Promise<PanelHandle>;
}
