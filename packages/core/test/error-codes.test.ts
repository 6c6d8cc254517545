/**
 * Every error class the library exports, with its tag, stable code and kind.
 * Codes are a public contract (integrators match on them): this table is
 * written out by hand so that renaming a code, changing a kind or adding an
 * error without a kind fails here and is a deliberate, reviewed change.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Core from "../src/index.js"
import { type ErrorKind, httpStatusOf, isGongzhiError } from "../src/index.js"

const expected: Record<string, readonly [code: string, kind: ErrorKind]> = {
  // kernel
  InvalidInput: ["INVALID_INPUT", "invalid-input"],
  Forbidden: ["FORBIDDEN", "forbidden"],
  NotFound: ["NOT_FOUND", "not-found"],
  StoreUnavailable: ["STORE_UNAVAILABLE", "unavailable"],
  Conflict: ["CONFLICT", "conflict"],
  IdempotencyKeyReused: ["IDEMPOTENCY_KEY_REUSED", "conflict"],
  CalendarOutOfRange: ["CALENDAR_OUT_OF_RANGE", "precondition-failed"],
  NotificationFailed: ["NOTIFICATION_FAILED", "unavailable"],
  InsufficientBalance: ["INSUFFICIENT_BALANCE", "precondition-failed"],
  AlreadyExists: ["ALREADY_EXISTS", "conflict"],
  // voting
  VotingNotEligible: ["VOTING_NOT_ELIGIBLE", "forbidden"],
  VotingAlreadyVoted: ["VOTING_ALREADY_VOTED", "conflict"],
  VotingProposalNotOpen: ["VOTING_PROPOSAL_NOT_OPEN", "precondition-failed"],
  VotingDeadlinePassed: ["VOTING_DEADLINE_PASSED", "precondition-failed"],
  VotingInvalidChoice: ["VOTING_INVALID_CHOICE", "invalid-input"],
  VotingProxyLimitExceeded: ["VOTING_PROXY_LIMIT_EXCEEDED", "precondition-failed"],
  VotingProxyNotAuthorised: ["VOTING_PROXY_NOT_AUTHORISED", "forbidden"],
  VotingPendingConfirmation: ["VOTING_PENDING_CONFIRMATION", "precondition-failed"],
  VotingInvalidProposal: ["VOTING_INVALID_PROPOSAL", "invalid-input"],
  VotingNegotiationRoundsMissing: ["VOTING_NEGOTIATION_ROUNDS_MISSING", "precondition-failed"],
  VotingObjectionPeriod: ["VOTING_OBJECTION_PERIOD", "precondition-failed"],
  // issues
  IssueUnknownCaseType: ["ISSUE_UNKNOWN_CASE_TYPE", "invalid-input"],
  IssueBlockedByAttribute: ["ISSUE_BLOCKED_BY_ATTRIBUTE", "precondition-failed"],
  IssueInvalidTransition: ["ISSUE_INVALID_TRANSITION", "precondition-failed"],
  IssueReturnWindowExpired: ["ISSUE_RETURN_WINDOW_EXPIRED", "precondition-failed"],
  IssueExtensionAfterDeadline: ["ISSUE_EXTENSION_AFTER_DEADLINE", "precondition-failed"],
  IssueNotReporter: ["ISSUE_NOT_REPORTER", "forbidden"],
  IssueReopenWindowExpired: ["ISSUE_REOPEN_WINDOW_EXPIRED", "precondition-failed"],
  IssueCalendarNotPublished: ["ISSUE_CALENDAR_NOT_PUBLISHED", "precondition-failed"],
  IssueMediationNotAllowed: ["ISSUE_MEDIATION_NOT_ALLOWED", "precondition-failed"],
  // incentives
  CapReached: ["INCENTIVES_CAP_REACHED", "precondition-failed"],
  OutOfStock: ["INCENTIVES_OUT_OF_STOCK", "conflict"],
  RedemptionLimit: ["INCENTIVES_REDEMPTION_LIMIT", "precondition-failed"],
  ItemUnavailable: ["INCENTIVES_ITEM_UNAVAILABLE", "precondition-failed"],
  InvalidState: ["INCENTIVES_INVALID_STATE", "precondition-failed"],
  // time bank
  NotServiceRecipient: ["TIMEBANK_NOT_SERVICE_RECIPIENT", "forbidden"],
  AlreadyConfirmed: ["TIMEBANK_ALREADY_CONFIRMED", "conflict"],
  ServiceWrongState: ["TIMEBANK_SERVICE_WRONG_STATE", "precondition-failed"],
  NotFamilyMember: ["TIMEBANK_NOT_FAMILY_MEMBER", "forbidden"],
  UnknownServiceType: ["TIMEBANK_UNKNOWN_SERVICE_TYPE", "invalid-input"],
  NotReversible: ["TIMEBANK_NOT_REVERSIBLE", "precondition-failed"],
  // notifications
  InvalidPhoneNumber: ["NOTIFY_INVALID_PHONE_NUMBER", "invalid-input"],
  OptedOut: ["NOTIFY_OPTED_OUT", "precondition-failed"],
  QuietHours: ["NOTIFY_QUIET_HOURS", "precondition-failed"],
  TemplateNotMapped: ["NOTIFY_TEMPLATE_NOT_MAPPED", "precondition-failed"],
  ProviderRejected: ["NOTIFY_PROVIDER_REJECTED", "unavailable"],
  RateLimited: ["NOTIFY_RATE_LIMITED", "unavailable"],
  ReplyCodeInvalid: ["NOTIFY_REPLY_CODE_INVALID", "invalid-input"],
  ReplyCodeExpired: ["NOTIFY_REPLY_CODE_EXPIRED", "precondition-failed"],
  SmsVoteUnavailable: ["NOTIFY_SMS_VOTE_UNAVAILABLE", "precondition-failed"]
}

/** Every exported class (top level and in each module namespace) whose instances are errors. */
const exportedErrorClasses = (): ReadonlyArray<{ readonly name: string; readonly make: () => unknown }> => {
  const found: Array<{ name: string; make: () => unknown }> = []
  const scan = (prefix: string, ns: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(ns)) {
      if (typeof value === "function" && value.prototype instanceof Error) {
        // Construct without validation: only the class-level code, kind and tag are read.
        found.push({ name: `${prefix}${name}`, make: () => new (value as new (p: object, skip: boolean) => unknown)({}, true) })
      } else if (value !== null && typeof value === "object" && /^[A-Z]/.test(name) && prefix === "") {
        const inner = value as Record<string, unknown>
        if (Object.values(inner).some((v) => typeof v === "function")) scan(`${name}.`, inner)
      }
    }
  }
  scan("", Core as unknown as Record<string, unknown>)
  return found
}

describe("error codes", () => {
  it("every exported error has the code and kind in the table, and the table has no extra entry", () => {
    const actual: Record<string, readonly [string, ErrorKind]> = {}
    for (const { name, make } of exportedErrorClasses()) {
      const error = make()
      expect(isGongzhiError(error), name).toBe(true)
      const e = error as { _tag: string; code: string; kind: ErrorKind }
      expect(["invalid-input", "forbidden", "not-found", "conflict", "precondition-failed", "unavailable"], name).toContain(e.kind)
      actual[e._tag] = [e.code, e.kind]
    }
    expect(actual).toStrictEqual(expected)
  })

  it("codes are distinct", () => {
    const codes = Object.values(expected).map(([code]) => code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it("httpStatusOf maps every kind to its status", () => {
    const statuses = Object.fromEntries(
      (["invalid-input", "forbidden", "not-found", "conflict", "precondition-failed", "unavailable"] as const).map((k) => [k, httpStatusOf(k)])
    )
    expect(statuses).toStrictEqual({
      "invalid-input": 400,
      forbidden: 403,
      "not-found": 404,
      conflict: 409,
      "precondition-failed": 409,
      unavailable: 503
    })
  })
})
