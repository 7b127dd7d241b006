import type { ExportFile } from '../../store/exchange/memoryExport';

/** Saves an export through the browser's download, from a local blob (nothing is uploaded). */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started reading the blob; release it once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
