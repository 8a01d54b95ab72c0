import type { Site, UpdateSiteRequest } from "@parley/protocol";
import { rest } from "../../api/rest.js";
import { useStore } from "../useInbox.js";

/** PATCH one part of a site; the answer goes into the store at once (site_updated follows). */
export function useSiteUpdate(site: Site): (patch: UpdateSiteRequest) => Promise<Site> {
  const store = useStore();
  return async (patch) => {
    const { site: saved } = await rest.updateSite(site.id, patch);
    store.siteChanged(saved);
    return saved;
  };
}
