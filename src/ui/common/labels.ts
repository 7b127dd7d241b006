import type { MemoryType } from '../../core/schema/answer';
import type { View } from '../../store/view/viewStore';

export const viewLabels: Record<View, string> = {
  import: 'Import',
  runs: 'Runs',
  memories: 'Memories',
  tidy: 'Tidy',
  model: 'Model',
};

export const typeLabels: Record<MemoryType, string> = {
  fact: 'Fact',
  episodic: 'Episodic',
  profile: 'Profile',
};

/** The free-text dimensions, in the order the table, the detail panel and the editor show them. */
export const textDimensions = [
  { key: 'location', label: 'Location', columnWidth: 140 },
  { key: 'reason', label: 'Reason', columnWidth: 180 },
  { key: 'purpose', label: 'Purpose', columnWidth: 200 },
] as const;
