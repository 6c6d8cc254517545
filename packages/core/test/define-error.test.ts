import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { GongzhiTaggedError, isGongzhiError, renderError } from "../src/kernel/errors.js"

class DogNotRegistered extends GongzhiTaggedError<DogNotRegistered>()("DogNotRegistered", { dogId: Schema.String }, {
  code: "TEST_DOG_NOT_REGISTERED",
  kind: "not-found",
  text: (e) => ({ "zh-CN": `犬只 ${e.dogId} 未登记`, en: `Dog ${e.dogId} is not registered` })
}) {}

describe("GongzhiTaggedError", () => {
  it.effect("declares a tagged, coded, localized error usable in the error channel", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(Effect.fail(new DogNotRegistered({ dogId: "d1" })))
      expect(Either.isLeft(result)).toBe(true)
      const e = (result as Either.Left<DogNotRegistered, never>).left
      expect(e._tag).toBe("DogNotRegistered")
      expect(e.code).toBe("TEST_DOG_NOT_REGISTERED")
      expect(e.kind).toBe("not-found")
      expect(e.dogId).toBe("d1")
      expect(renderError(e, "zh-CN")).toBe("犬只 d1 未登记")
      expect(e.message).toBe("Dog d1 is not registered")
      expect(isGongzhiError(e)).toBe(true)
      const caught = yield* new DogNotRegistered({ dogId: "d2" }).pipe(Effect.catchTag("DogNotRegistered", (x) => Effect.succeed(x.dogId)))
      expect(caught).toBe("d2")
    })
  )
})
