import { checkChatConfig } from '../../engine/catalog/chatConfig';
import { dimmemFolderName } from '../../engine/catalog/modelUrls';
import { quantizations } from '../../engine/catalog/quantization';
import type { Quantization } from '../../engine/catalog/quantization';
import { appUrl } from './browserEnvironment';

/** The builds the app's own `models/` folder holds, and where. */
export interface SelfHostedModels {
  url: string;
  quantizations: Quantization[];
}

/** Which builds the app's own `models/` folder holds (a JSON config that is a Qwen3 MLC build). */
export async function probeSelfHosted(): Promise<SelfHostedModels | null> {
  const url = appUrl('models/');
  const found: Quantization[] = [];
  for (const quantization of quantizations) {
    try {
      const response = await fetch(`${url}${dimmemFolderName(quantization)}/mlc-chat-config.json`, {
        cache: 'no-store',
      });
      if (!response.ok) continue;
      const json: unknown = await response.json(); // An SPA fallback page is not JSON.
      if (checkChatConfig(json, quantization).ok) found.push(quantization);
    } catch {
      // Not hosted here.
    }
  }
  return found.length > 0 ? { url, quantizations: found } : null;
}
