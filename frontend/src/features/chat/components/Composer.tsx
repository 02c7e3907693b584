import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { useI18n, type SimpleKey } from '../../../i18n';
import type { Prediction } from '../../../lib/protocol';
import { lockedFromPrediction, type AskResult } from '../model/chat-controller';
import { useChatController, useChatState } from '../chat-context';
import styles from './Composer.module.css';
import { optionId } from './option-id';
import { PredictionList } from './PredictionList';
import { ProductChip } from './ProductChip';

const ASK_HINTS: Record<Exclude<AskResult, 'sent'>, SimpleKey> = {
  empty: 'composer.hint.empty',
  'no-product': 'composer.hint.noProduct',
  offline: 'composer.hint.offline',
  busy: 'composer.hint.busy',
};

/**
 * The one input box. Before a product is picked it is an ARIA combobox: typing predicts,
 * ArrowUp/ArrowDown move through the cards, Enter (or a click) picks, Escape closes the list.
 * After, it takes the question; Enter sends it.
 */
export function Composer() {
  const { t } = useI18n();
  const chat = useChatController();
  const locked = useChatState((s) => s.locked);
  const predictions = useChatState((s) => s.predictions);
  const predictionsFor = useChatState((s) => s.predictionsFor);
  const pending = useChatState((s) => s.pending !== null);
  const [text, setText] = useState('');
  // The highlighted option, remembered with the list it belongs to: a new list starts at the top.
  const [active, setActive] = useState({ index: 0, of: predictions });
  const [listOpen, setListOpen] = useState(true);
  const [hint, setHint] = useState<SimpleKey | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId().replace(/:/g, '') + '-predictions';
  const inputId = useId();

  const activeIndex = active.of === predictions ? active.index : 0;
  const setActiveIndex = (index: number) => setActive({ index, of: predictions });
  const showList = !locked && listOpen && predictions.length > 0;
  const activeOption = showList ? Math.min(activeIndex, predictions.length - 1) : -1;

  const pick = (prediction: Prediction) => {
    chat.lock(lockedFromPrediction(prediction));
    setText('');
    setHint(null);
    setAnnouncement(t('composer.announce.picked', { name: prediction.product.name }));
    inputRef.current?.focus();
  };

  const unlock = () => {
    chat.unlock();
    setListOpen(true);
    setAnnouncement(t('composer.announce.removed'));
    inputRef.current?.focus();
  };

  const onChange = (value: string) => {
    setText(value);
    setHint(null);
    setListOpen(true);
    chat.typed(value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (locked) return;
    const count = predictions.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (count === 0) return;
      event.preventDefault();
      if (!listOpen) {
        setListOpen(true);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => {
        const index = current.of === predictions ? Math.min(current.index, count - 1) : 0;
        return { index: (index + step + count) % count, of: predictions };
      });
    } else if (event.key === 'Escape') {
      if (showList) {
        event.preventDefault();
        setListOpen(false);
      } else if (text) {
        event.preventDefault();
        onChange('');
      }
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!locked) {
      const prediction = showList ? predictions[activeOption] : undefined;
      if (prediction) pick(prediction);
      else setHint(text.trim() ? 'composer.hint.noMatch' : 'composer.hint.typeInstrument');
      return;
    }
    const result = chat.ask(text);
    if (result === 'sent') {
      setText('');
      setHint(null);
    } else {
      setHint(ASK_HINTS[result]);
    }
  };

  const productName = locked?.product.name;
  const label = productName ? t('composer.label.question', { name: productName }) : t('composer.label.find');
  const comboboxProps = locked
    ? {}
    : {
        role: 'combobox' as const,
        'aria-expanded': showList,
        'aria-controls': listId,
        'aria-autocomplete': 'list' as const,
        'aria-activedescendant': activeOption >= 0 ? optionId(listId, activeOption) : undefined,
      };

  return (
    <div className={styles.composer}>
      {showList ? (
        <PredictionList
          id={listId}
          query={predictionsFor}
          predictions={predictions}
          activeIndex={activeOption}
          label={text.trim() ? t('composer.list.matching') : t('composer.list.popular')}
          onPick={pick}
          onHover={setActiveIndex}
        />
      ) : null}
      {locked ? <ProductChip locked={locked} onRemove={unlock} /> : null}
      <form className={styles.form} onSubmit={onSubmit} aria-label={locked ? t('composer.form.ask') : t('composer.form.find')}>
        <label htmlFor={inputId} className={ui.visuallyHidden}>
          {label}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          className={ui.textInput}
          value={text}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint={locked ? 'send' : 'go'}
          maxLength={locked ? 2000 : 1000}
          placeholder={productName ? t('composer.placeholder.ask', { name: productName }) : t('composer.placeholder.find')}
          aria-describedby={hint ? `${inputId}-hint` : undefined}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          {...comboboxProps}
        />
        <button type="submit" className={`${ui.btn} ${ui.btnPrimary}`} aria-busy={pending || undefined}>
          {locked ? (pending ? t('composer.button.answering') : t('composer.button.ask')) : t('composer.button.select')}
        </button>
      </form>
      <p id={`${inputId}-hint`} className={styles.hint} role="status" aria-live="polite">
        {hint ? t(hint) : null}
      </p>
      <p className={ui.visuallyHidden} aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
