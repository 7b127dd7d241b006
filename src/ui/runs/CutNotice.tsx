import type { WindowRecord } from '../../store/db/records';
import { plural } from '../common/format';

/** Messages too long for the context, which the plan cut to fit (a documented deviation). */
export function CutNotice({ windows }: { windows: readonly { cut?: WindowRecord['cut'] }[] }) {
  const cuts = windows.filter((window) => window.cut).length;
  if (cuts === 0) return null;
  return (
    <p className="notice" data-testid="planned-cuts">
      {plural(cuts, 'message is', 'messages are')} too long for the model's context even after its
      own 8000-character cut: each gets a window of its own and is cut further, keeping its head,
      middle and tail. A larger context window (Model view) keeps more of them.
    </p>
  );
}
