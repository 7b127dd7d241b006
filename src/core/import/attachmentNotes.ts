/**
 * What a user shared besides words, written into the message as bracketed notes, so a turn that
 * holds only a file or an image stays a visible message and the assistant's reply answers
 * something. Notes are user text like any other: "the user shared a PDF about data-centre cooling"
 * is a real memory (docs/import-formats.md, "Files, images and voice").
 */

/** `[shared an image]`, `[shared 3 images]`: images carry no name worth keeping. */
export function imageNote(count: number): string {
  return count === 1 ? '[shared an image]' : `[shared ${count} images]`;
}

/** `[uploaded a file: AI datacenter cooling.pdf]`, one line per file. */
export const fileNote = (name: string): string => `[uploaded a file: ${name}]`;

/** A file's text the export carries (Claude's `extracted_content`): its note, then the text. */
export function attachedText(name: string, text: string): string {
  const heading = name.trim() === '' ? '[pasted text]' : fileNote(name.trim());
  return `${heading}\n${text.trim()}`;
}

/** A document the user wrote in ChatGPT's canvas: its title, then its text. */
export const canvasDocument = (title: string, text: string): string =>
  `[canvas document: ${title.trim() || 'untitled'}]\n${text.trim()}`;

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp|heic|heif|bmp|tiff?|avif)$/i;

/** Whether a file is an image, from its MIME type or, failing that, its name. */
export const isImageFile = (name: string, mimeType?: string | null): boolean =>
  mimeType ? mimeType.toLowerCase().startsWith('image/') : IMAGE_EXTENSIONS.test(name);

/**
 * A message's text with what else it carried: the typed text first, then each document, then one
 * note per named file; an image note only when nothing else says anything (a photo beside a
 * question adds nothing the question does not).
 */
export function withAttachments(
  text: string,
  parts: { documents?: string[]; files?: string[]; images?: number },
): string {
  const blocks = [text.trim(), ...(parts.documents ?? [])].filter((block) => block !== '');
  const notes = (parts.files ?? []).map(fileNote);
  if (blocks.length === 0 && notes.length === 0 && (parts.images ?? 0) > 0) {
    return imageNote(parts.images!);
  }
  const body = blocks.join('\n\n');
  if (notes.length === 0) return body;
  return body === '' ? notes.join('\n') : `${body}\n${notes.join('\n')}`;
}
