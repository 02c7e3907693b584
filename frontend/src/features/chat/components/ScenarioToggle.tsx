import { SCENARIOS, type Scenario } from '../../../lib/protocol';
import { SCENARIO_LABELS } from './scenario-labels';
import styles from './ScenarioToggle.module.css';

interface Props {
  value: Scenario;
  onChange: (scenario: Scenario) => void;
}

/** General / Studio / Live, as a radio group (arrow keys move between the options). */
export function ScenarioToggle({ value, onChange }: Props) {
  return (
    <fieldset className={styles.segmented}>
      <legend>Scenario</legend>
      {SCENARIOS.map((scenario) => (
        <label key={scenario} className={scenario === value ? styles.checked : undefined}>
          <input
            type="radio"
            name="scenario"
            value={scenario}
            checked={scenario === value}
            onChange={() => onChange(scenario)}
          />
          <span>{SCENARIO_LABELS[scenario]}</span>
        </label>
      ))}
    </fieldset>
  );
}
