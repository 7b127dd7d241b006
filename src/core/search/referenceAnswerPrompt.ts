/**
 * The reference pipeline's answer prompt, `LONGMEMEVAL_QA_PROMPT` of ChowRunFa/DimMem
 * (`longmemeval/prompts/qa_prompts.py`, commit eb755de), reproduced byte for byte (a unit test
 * compares it with the copy in tests/fixtures/search). `{{retrieved_memories}}`, `{{query}}` and
 * `{{question_date}}` are filled by answerPrompt.ts.
 */
export const referenceAnswerPromptTemplate = `You are answering a question about a user's long-term memory.

You will receive:
1. The user's original question.
2. The question timestamp (question_date).
3. A small set of retrieved memory records.

Your job:
- Use only the retrieved memories as evidence.
- Prefer explicit facts over guesses.
- If the evidence is insufficient, say "I don't know".
- First write a short reasoning paragraph.
- Then give the final answer.

Reasoning rules:
- Keep the reasoning brief and evidence-grounded.
- Treat question_date as the temporal anchor for relative time expressions in the question (e.g., "last week", "yesterday", "recently").
- Resolve temporal questions by comparing the timestamps in the memories when possible.
- If multiple records conflict, prefer the one with the latest source_time.
- If multiple records conflict and source_time is unavailable or tied, prefer the more explicit and more directly relevant one.
- Do not invent missing numbers, dates, places, or entities.

Answer rules:
- The final answer should be concise.
- If the answer is a count, return the count clearly.
- If the answer is a date or time difference, state the unit.
- If multiple answers are acceptable from the evidence, provide the most direct one.

Output format:
Reasoning: <brief reasoning>
Answer: <final answer>

Retrieved Memories:
{{retrieved_memories}}

Now answer the question:
User Question:{{query}}
Question Date:{{question_date}}
`;
