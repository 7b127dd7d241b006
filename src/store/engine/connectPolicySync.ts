import { policyForChoices, saveWantedConnectSources } from './connectPolicy';
import type { ConnectPolicyState } from './connectPolicy';
import { useEngineStore } from './engineStore';

/**
 * Recomputes which hosts the choices need and saves the list for the next page load, when
 * `public/connect-policy.js` narrows the page's `connect-src` to it. Returns the new state:
 * `missing` lists what this page's policy does not allow yet (a reload fixes it).
 */
export function syncConnectPolicy(): ConnectPolicyState {
  const store = useEngineStore.getState();
  const policy = policyForChoices(store);
  saveWantedConnectSources(policy.wanted);
  store.setPolicy(policy);
  return policy;
}
