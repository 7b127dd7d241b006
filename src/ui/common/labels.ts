import type { MemoryType } from '../../core/schema/answer';
import type { View } from '../../store/view/viewStore';

export const viewLabels: Record<View, string> = {
  import: 'Import',
  runs: 'Runs',
  memories: 'Memories',
  model: 'Model',
};

export const typeLabels: Record<MemoryType, string> = {
  fact: 'Fact',
  episodic: 'Episodic',
  profile: 'Profile',
};
