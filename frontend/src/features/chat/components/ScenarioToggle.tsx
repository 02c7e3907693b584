import { useI18n } from '../../../i18n';
import { SCENARIOS, type Scenario } from '../../../lib/protocol';
import { SCENARIO_KEYS } from './scenario-labels';
import styles from './ScenarioToggle.module.css';

interface Props {
  value: Scenario;
  onChange: (scenario: Scenario) => void;
}

/** General / Studio / Live, as a radio group (arrow keys move between the options). */
export function ScenarioToggle({ value, onChange }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className={styles.segmented}>
      <legend>{t('scenario.legend')}</legend>
      {SCENARIOS.map((scenario) => (
        <label key={scenario} className={scenario === value ? styles.checked : undefined}>
          <input
            type="radio"
            name="scenario"
            value={scenario}
            checked={scenario === value}
            onChange={() => onChange(scenario)}
          />
          <span>{t(SCENARIO_KEYS[scenario])}</span>
        </label>
      ))}
    </fieldset>
  );
}
