/**
 * An error whose message is one advice sentence picked by `code`, followed by the original
 * `detail`. EngineError and BuildError share this shape so the UI can show both the same way.
 */
export abstract class AdvisedError<Code extends string> extends Error {
  readonly code: Code;
  readonly detail: string;
  readonly #advice: string;

  protected constructor(
    name: string,
    adviceByCode: Record<Code, string>,
    code: Code,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${adviceByCode[code]}${detail ? ` (${detail})` : ''}`, options);
    this.name = name;
    this.code = code;
    this.detail = detail;
    this.#advice = adviceByCode[code];
  }

  /** The plain advice without the technical detail. */
  get advice(): string {
    return this.#advice;
  }
}
