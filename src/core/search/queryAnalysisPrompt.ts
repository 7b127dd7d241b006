/**
 * The reference pipeline's query-analysis prompt, `LONGMEMEVAL_QUERY_ANALYSIS_PROMPT` of
 * ChowRunFa/DimMem (`longmemeval/prompts/prompts.py`, commit eb755de), reproduced byte for byte:
 * the model is asked exactly what the paper's pipeline asked (a unit test compares it with the copy
 * in tests/fixtures/search). It starts with a newline, as the Python triple-quoted string does.
 */
export const queryAnalysisPromptTemplate = `
You are a memory query parser. Convert natural language questions into structured retrieval queries. Output only valid JSON.

== Output Format ==

{
  "query_anchor": "",
  "need_assistant_context": false,
  "dimension": {
    "target_memory_type": [],
    "keywords": [],
    "time": "",
    "location": ""
  },
  "answer_dim": ""
}

== Field Descriptions ==

1. query_anchor
Rewrite the original question into a retrieval-friendly natural language sentence. I/me/my -> the user. Preserve the core intent, time, location, quantity, order, and other key information. This is not a keyword list.

2. need_assistant_context (bool)
Whether additional assistant response content needs to be retrieved. Defaults to false.
Set to true when the question contains any of the following features:
- Mentions a previous conversation: "our previous conversation/chat", "last time", "we discussed/talked about"
- Asks to recall assistant output: "remind me", "you recommended/mentioned/said/told me/provided/suggested"
- Retrospective expression + conversation reference: "I'm going/looking back at...", "I wanted to follow up on..." + "our previous..."

Example true: "Can you remind me which airline you suggested last time for budget flights?"
Example false: "How many countries have I visited this year?"

3. dimension.target_memory_type
Memory types to prioritize for retrieval; multiple values are allowed:
- fact: stable facts, identity, relationships, status, possessions
- episodic: specific events, experiences, actions, purchases, trips, progress
- profile: preferences, habits, interests, goals, style
Use [] when uncertain.

4. dimension.keywords
Extract short phrases for key entities, people, objects, tools, locations, activities, topics, etc. Use [] if none.

5. dimension.time
Fill only when there is an explicit time constraint. Format: "on/before/after/around <time>" or "between <start> and <end>".
- If question_date is available, normalize relative time expressions (today/yesterday/this week/last month, etc. -> specific dates)
- If the question asks about the time itself, leave this field empty and set answer_dim = "time"
- Frequency words (daily/weekly/often) are not time constraints
- Use "" when there is no explicit constraint

6. dimension.location
Fill only when there is an explicit location/platform/scene constraint. If the question asks about the location itself, leave this field empty and set answer_dim = "location". Use "" if none.

7. answer_dim
The memory field corresponding to the answer:
- "content": fact/event/profile content
- "time": time/date/frequency
- "location": location/platform/scene
- "reason": reason
- "purpose": purpose/usage
- "keywords": key objects such as people/objects/names/tools
- "": requires calculation/comparison/ranking/reasoning/recommendation/summarization

== Input ==

Question Date:
{question_date}

Question:
{question}
`;

/**
 * The prompt for one question, filled in as the reference fills it: `{question_date}` and
 * `{question}` replaced by their trimmed text (an unknown date stays empty).
 */
export function buildQueryAnalysisPrompt(question: string, questionDate: string): string {
  return queryAnalysisPromptTemplate
    .replace('{question_date}', () => questionDate.trim())
    .replace('{question}', () => question.trim());
}
