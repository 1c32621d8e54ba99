// Checkboxes for the queues (skills) a user takes calls from.
import { QueueSkill } from '../../../contracts/conversation';
import { queueLabel } from '../state/format';

export function SkillPicker({
  value,
  onChange,
  idPrefix,
}: {
  value: QueueSkill[];
  onChange: (v: QueueSkill[]) => void;
  idPrefix: string;
}) {
  return (
    <fieldset className="skills">
      <legend>Skills</legend>
      {QueueSkill.options.map((skill) => (
        <label key={skill} className="radio" htmlFor={`${idPrefix}-${skill}`}>
          <input
            id={`${idPrefix}-${skill}`}
            type="checkbox"
            checked={value.includes(skill)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, skill] : value.filter((s) => s !== skill))
            }
          />{' '}
          {queueLabel(skill)}
        </label>
      ))}
    </fieldset>
  );
}
