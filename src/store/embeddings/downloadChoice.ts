/** localStorage key: "declined" when the user said no to the meaning model's download. */
export const embeddingsDownloadKey = 'dimmem.embeddings.download.v1';

/** The user's choice about downloading the meaning model, kept across reloads. */
export interface DownloadChoice {
  declined(): boolean;
  setDeclined(declined: boolean): void;
}

export const localDownloadChoice: DownloadChoice = {
  declined() {
    try {
      return globalThis.localStorage?.getItem(embeddingsDownloadKey) === 'declined';
    } catch {
      return false;
    }
  },
  setDeclined(declined) {
    try {
      if (declined) globalThis.localStorage?.setItem(embeddingsDownloadKey, 'declined');
      else globalThis.localStorage?.removeItem(embeddingsDownloadKey);
    } catch {
      // Storage blocked: the choice holds for this page only (the service keeps it too).
    }
  },
};
