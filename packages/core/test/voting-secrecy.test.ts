/**
 * Issue 20, finding 1, on the memory store's inspector: reading every table
 * of the memory database (in its insertion order) and the journal does not
 * link a mixed secret ballot to its voter better than chance, and no ballot
 * carries its household's area. Vote changes after a mix keep working.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CommunityId, Gongzhi, readJournal, ResidentActor, ResidentId, Role, StaffActor, StaffId, Voting } from "../src/index.js"

const community = generateCommunity({ seed: 2026, communityId: "c-secrecy", buildings: 2 })
const C = CommunityId.make("c-secrecy")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
const committee = new StaffActor({ communityId: C, staffId: StaffId.make("s-committee"), roles: [Role.make("committee")], departments: [] })
const auditor = new StaffActor({ communityId: C, staffId: StaffId.make("s-auditor"), roles: [Role.make("auditor")], departments: [] })

const openSecret = Effect.gen(function* () {
  const p = yield* Voting.createProposal(committee, { communityId: C, title: "秘密表决", body: "b", rule: "civil-code-278-ordinary", secret: true })
  yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
  return yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
})

describe("secret ballots on the memory store (issue 20)", () => {
  it.effect("table order, journal order and stored weights do not link a mixed ballot to its voter; receipts and changes still work", () =>
    Effect.gen(function* () {
      const inspector = yield* MemoryInspector
      const p = yield* openSecret
      const owners = community.households.filter((h) => h.ownerIds.length > 0)
      const receipts: Array<{ owner: string; area: number; code: string; hash: string }> = []
      for (const [i, h] of owners.entries()) {
        const owner = ResidentId.make(h.ownerIds[0]!)
        const r = yield* Voting.castBallot(new ResidentActor({ communityId: C, residentId: owner }), {
          communityId: C, proposalId: p.id, residentId: owner, channel: "online", choice: { type: "yes-no", value: i % 3 === 0 ? "no" : "yes" }
        })
        receipts.push({ owner, area: h.exclusiveAreaDm2, code: r.receipt!, hash: r.receiptHash! })
      }
      // A vote change after its ballot was mixed: a retraction waits for the next mix.
      const changer = receipts[0]!
      const changed = yield* Voting.castBallot(new ResidentActor({ communityId: C, residentId: ResidentId.make(changer.owner) }), {
        communityId: C, proposalId: p.id, residentId: changer.owner, channel: "online", choice: { type: "yes-no", value: "yes" }, previousReceipt: changer.code
      })
      expect(changed.replaced).toBe(true)
      expect(yield* Voting.checkReceipt(committee, C, p.id, changer.code)).toBe(false)
      expect(yield* Voting.checkReceipt(committee, C, p.id, changed.receipt!)).toBe(true)
      receipts[0] = { ...changer, code: changed.receipt!, hash: changed.receiptHash! }

      yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      const voters = receipts.length
      expect(voters).toBeGreaterThanOrEqual(40)

      // Table order: the mixed ballots in the order the database holds them, paired with the
      // voters in the order they voted. A random order per batch matches ~1 per batch.
      const held = inspector.database.values<Voting.MixedBallot>("voting_secret_mixed").filter((b) => b.proposalId === p.id)
      expect(held).toHaveLength(voters)
      const matches = receipts.filter((r, i) => held[i]!.receiptHash === r.hash).length
      expect(matches).toBeLessThanOrEqual(Math.ceil(voters / 4))
      expect(inspector.database.values<Voting.SecretBallot>("voting_secret_ballots").filter((b) => b.proposalId === p.id)).toEqual([])

      // Journal order: no cast event carries a receipt; receipts are announced sorted per mix.
      const events = (yield* readJournal(C)).map((e) => e.payload as Record<string, unknown>).filter((e) => e.proposalId === p.id)
      expect(events.filter((e) => e._tag === "VotingBallotCast").every((e) => e.receiptHash === undefined)).toBe(true)
      const mixes = events.filter((e) => e._tag === "VotingSecretBallotsMixed")
      expect(mixes.length).toBeGreaterThanOrEqual(Math.floor(voters / 10))
      for (const m of mixes) {
        const hashes = m.receiptHashes as Array<string>
        expect(hashes).toEqual([...hashes].sort())
      }
      const announced = mixes.flatMap((m) => m.receiptHashes as Array<string>)
      expect(receipts.filter((r, i) => announced[i] === r.hash).length).toBeLessThanOrEqual(Math.ceil(voters / 4))

      // Unique area: no stored ballot carries weights; the totals are per choice, each of several ballots.
      for (const b of held) expect(Object.keys(b).sort()).toEqual(["choice", "communityId", "proposalId", "receiptHash"])
      const totals = inspector.database.values<Voting.SecretTotal>("voting_secret_totals").filter((t) => t.proposalId === p.id)
      expect(totals.every((t) => t.ballots > 1)).toBe(true)
      expect(totals.reduce((n, t) => n + t.ballots, 0)).toBe(voters)
      const areas = new Set(receipts.map((r) => r.area))
      for (const t of totals) expect(areas.has(t.areaDm2)).toBe(false)

      // The tally: the changed vote counts once, as its new choice; the board verifies.
      const yes = receipts.length - receipts.filter((_, i) => i % 3 === 0).length + 1
      expect(totals.filter((t) => t.choice.type === "yes-no" && t.choice.value === "yes").reduce((n, t) => n + t.ballots, 0)).toBe(yes)
      expect(yield* Voting.verifyTally(auditor, C, p.id)).toMatchObject({ ok: true, problems: [] })
      const board = yield* Voting.bulletinBoard(auditor, C, p.id)
      expect(Voting.countBulletinBoard(p, board).outcome).toBe((yield* Voting.getProposal(auditor, C, p.id)).outcome)
      for (const r of receipts) expect(yield* Voting.checkReceipt(committee, C, p.id, r.code)).toBe(true)
    }).pipe(Effect.provide(layer)))

  it("folding is order-independent and conserves the weights (property)", async () => {
    const { FastCheck: fc } = await import("effect")
    fc.assert(
      fc.property(
        fc.array(fc.record({ yes: fc.boolean(), heads: fc.integer({ min: 0, max: 3 }), areaDm2: fc.integer({ min: 0, max: 20_000 }), affected: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (ballots, k) => {
          const pending = ballots.map((b, i) => ({
            receiptHash: i.toString(16).padStart(64, "0"),
            choice: { type: "yes-no" as const, value: b.yes ? "yes" as const : "no" as const },
            heads: b.heads, areaDm2: b.areaDm2, weight: b.areaDm2, affected: b.affected
          }))
          // Mixed in batches of k, or all at once: the same totals and bag.
          let state = Voting.foldSecretBallots([], [], [])
          for (let i = 0; i < pending.length; i += k) state = Voting.foldSecretBallots(state.totals, state.bag, pending.slice(i, i + k))
          const once = Voting.foldSecretBallots([], [], [...pending].reverse())
          expect(state.totals).toEqual(once.totals)
          expect(state.bag).toEqual(once.bag)
          expect(once.totals.reduce((n, t) => n + t.areaDm2, 0)).toBe(ballots.reduce((n, b) => n + b.areaDm2, 0))
          // Retracting every ballot empties the totals.
          const retracted = Voting.foldSecretBallots(once.totals, once.bag, pending.map((p) => ({ ...p, retraction: true })))
          expect(retracted.totals).toEqual([])
          expect(retracted.bag).toEqual([])
        }
      )
    )
  })
})
