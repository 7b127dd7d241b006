// Every module's exports are public; keywords.ts keeps its Jaccard helper to itself.
export * from './types';
export * from './memoryOwner';
export * from './sourceOrder';
export { keywordSet } from './keywords';
export * from './keywordBlocking';
export * from './lexicalSimilarity';
export * from './ruleMerges';
export * from './detectPairs';
export * from './decisionPrompt';
export * from './decisionSchema';
export * from './consolidatedMemory';
export * from './consolidationPass';
