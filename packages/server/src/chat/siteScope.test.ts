/** The team rule of §10: owners answer every site, agents the sites open to all or naming them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answeredSiteIds, answersSite, SiteScope, type SiteTeam } from "./siteScope.js";

const owner = { id: 1, role: "owner" as const };
const ann = { id: 2, role: "agent" as const };
const bob = { id: 3, role: "agent" as const };
const everyone: SiteTeam = { id: 10, agentIds: null };
const annsSite: SiteTeam = { id: 11, agentIds: [2] };
const nobodys: SiteTeam = { id: 12, agentIds: [] };
const sites = [everyone, annsSite, nobodys];

describe("siteScope", () => {
  it("lets owners answer every site, named or not", () => {
    for (const site of sites) assert.equal(answersSite(owner, site), true);
    assert.equal(answeredSiteIds(owner, sites), undefined, "no filter: sites created later too");
  });

  it("lets an agent answer sites open to everyone and those naming them, no others", () => {
    assert.deepEqual(answeredSiteIds(ann, sites), [10, 11]);
    assert.deepEqual(answeredSiteIds(bob, sites), [10]);
    assert.equal(answersSite(bob, annsSite), false);
    assert.equal(answersSite(ann, nobodys), false);
  });

  it("filters by the scope, narrowed by a site the agent asked for", () => {
    const scope = SiteScope.of(bob, sites);
    assert.deepEqual(scope.filter(), [10]);
    assert.deepEqual(scope.filter(10), [10]);
    assert.deepEqual(scope.filter(11), [], "another team's site: nothing, not everything");
    assert.equal(SiteScope.of(owner, sites).filter(), undefined);
    assert.deepEqual(SiteScope.of(owner, sites).filter(12), [12]);
  });

  it("follows a change of a site's team: the site joins or leaves an agent's scope", () => {
    let scope = SiteScope.of(bob, sites);
    assert.equal(scope.covers(11), false);
    scope = scope.updated({ id: 11, agentIds: [2, 3] });
    assert.equal(scope.covers(11), true);
    scope = scope.updated({ id: 10, agentIds: [2] });
    assert.equal(scope.covers(10), false);
    assert.deepEqual(scope.filter(), [11]);
    // A new site open to all joins too; an owner's scope stays every site.
    assert.equal(scope.updated({ id: 13, agentIds: null }).covers(13), true);
    assert.equal(SiteScope.of(owner, []).updated(nobodys).covers(12), true);
  });

  it("gives an agent who no longer exists nothing", () => {
    const gone = SiteScope.of(undefined, sites);
    assert.deepEqual(gone.filter(), []);
    assert.equal(gone.updated(everyone).covers(10), false);
  });
});
