/** A memory's dimension, or a dash when the model left it empty. */
export function DimensionValue({ text }: { text: string }) {
  return text === '' ? <span className="none">—</span> : <>{text}</>;
}
