/** Why an action failed, in words, announced as it appears; nothing while there is none. */
export function FieldError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="field-error">
      {error}
    </p>
  );
}
