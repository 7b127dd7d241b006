import type { ReimportChoice } from '../../store/import/importService';
import { plural } from '../common/format';

/** A conversation about to be imported that is stored already. */
export interface DuplicateChoiceRow {
  id: string;
  title: string;
  match: 'same-content' | 'same-source';
}

/** For each conversation already stored: skip it, replace the stored one, or keep both. */
export function DuplicateChoices({
  duplicates,
  choices,
  onChoice,
}: {
  duplicates: DuplicateChoiceRow[];
  choices: Record<string, ReimportChoice>;
  onChoice: (id: string, choice: ReimportChoice) => void;
}) {
  return (
    <div className="notice warning" role="group" aria-labelledby="duplicates-title">
      <p className="notice-title" id="duplicates-title">
        {plural(duplicates.length, 'conversation is', 'conversations are')} already stored
      </p>
      {duplicates.slice(0, 500).map((duplicate) => (
        <fieldset key={duplicate.id} className="duplicate-choice">
          <legend>
            {duplicate.title}{' '}
            <span className="muted">
              ({duplicate.match === 'same-content' ? 'same messages' : 'same chat, changed since'})
            </span>
          </legend>
          <div className="row">
            {(['skip', 'replace', 'keep-both'] as const).map((choice) => (
              <label key={choice} className="checkbox">
                <input
                  type="radio"
                  name={`dup-${duplicate.id}`}
                  checked={(choices[duplicate.id] ?? 'skip') === choice}
                  onChange={() => onChoice(duplicate.id, choice)}
                />
                {choice === 'skip' ? 'Skip' : choice === 'replace' ? 'Replace' : 'Keep both'}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {duplicates.length > 500 && (
        <p className="muted">
          The other {plural(duplicates.length - 500, 'conversation')} already stored are skipped.
        </p>
      )}
    </div>
  );
}
