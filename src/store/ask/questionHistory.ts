import type { DimmemDb } from '../db/db';
import { questionRecordSchema } from '../db/askRecords';
import { readAskedQuestion, type AskedQuestion } from './askDetails';

/** Every question asked, newest first. Records that are not questions at all are skipped. */
export async function listQuestions(db: DimmemDb): Promise<AskedQuestion[]> {
  const records = await db.getAllFromIndex('questions', 'by-asked');
  const questions: AskedQuestion[] = [];
  for (const record of records) {
    const parsed = questionRecordSchema.safeParse(record);
    if (parsed.success) questions.push(readAskedQuestion(parsed.data));
  }
  return questions.reverse();
}

/** Adds or replaces a question (by id). */
export async function saveQuestion(db: DimmemDb, question: AskedQuestion): Promise<void> {
  await db.put('questions', questionRecordSchema.parse(question));
}

export async function deleteQuestion(db: DimmemDb, id: string): Promise<void> {
  await db.delete('questions', id);
}
