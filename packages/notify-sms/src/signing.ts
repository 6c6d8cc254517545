/**
 * Request signing of the providers, implemented from their documentation:
 * Aliyun's V3 signature (ACS3-HMAC-SHA256), Tencent Cloud's API 3.0
 * signature (TC3-HMAC-SHA256) and Twilio's webhook signature
 * (X-Twilio-Signature, HMAC-SHA1). Tested against the providers' published
 * examples.
 *
 * @since 0.2.0
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"

/**
 * Lower-case hex SHA-256 of a UTF-8 string.
 *
 * @since 0.2.0
 * @category signing
 */
export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex")

const hmac = (key: string | Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest()

/**
 * RFC 3986 percent-encoding as Aliyun requires: space is `%20`, `*` is
 * `%2A`, `~` stays.
 *
 * @since 0.2.0
 * @category signing
 */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The canonical query string: parameters sorted by name, each percent-encoded.
 *
 * @since 0.2.0
 * @category signing
 */
export const canonicalQuery = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join("&")

/**
 * What {@link acs3Sign} computed (the intermediate strings help diagnose a rejection).
 *
 * @since 0.2.0
 * @category signing
 */
export interface Signed {
  readonly canonicalRequest: string
  readonly stringToSign: string
  readonly signature: string
  readonly authorization: string
}

/**
 * Aliyun V3 signature. `headers` must hold `host` and the `x-acs-*` headers
 * (names in lower case); every `x-acs-*` header, `host` and `content-type`
 * are signed.
 *
 * @since 0.2.0
 * @category signing
 */
export const acs3Sign = (input: {
  readonly method: string
  readonly path?: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
}): Signed => {
  const names = Object.keys(input.headers)
    .map((n) => n.toLowerCase())
    .filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-"))
    .sort()
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]))
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]!.trim()}\n`).join("")
  const signedHeaders = names.join(";")
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path ?? "/",
    canonicalQuery(input.query),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body)
  ].join("\n")
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`
  const signature = createHmac("sha256", input.accessKeySecret).update(stringToSign, "utf8").digest("hex")
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`
  }
}

/**
 * The UTC date of a Unix timestamp in seconds, `YYYY-MM-DD`.
 *
 * @since 0.2.0
 * @category signing
 */
export const utcDate = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10)

/**
 * Tencent Cloud TC3-HMAC-SHA256 signature of a JSON POST to `/`. The signed
 * headers are `content-type` and `host`, plus `x-tc-action` (its value in
 * lower case) when `action` is given.
 *
 * @since 0.2.0
 * @category signing
 */
export const tc3Sign = (input: {
  readonly secretId: string
  readonly secretKey: string
  readonly service: string
  readonly host: string
  readonly timestamp: number
  readonly payload: string
  readonly action?: string
  readonly contentType?: string
}): Signed => {
  const contentType = input.contentType ?? "application/json; charset=utf-8"
  const headers: Array<[string, string]> = [["content-type", contentType], ["host", input.host]]
  if (input.action !== undefined) headers.push(["x-tc-action", input.action.toLowerCase()])
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v}\n`).join("")
  const signedHeaders = headers.map(([k]) => k).join(";")
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, sha256Hex(input.payload)].join("\n")
  const date = utcDate(input.timestamp)
  const scope = `${date}/${input.service}/tc3_request`
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`
  const signature = createHmac("sha256", tc3SigningKey(input.secretKey, date, input.service)).update(stringToSign, "utf8").digest("hex")
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  }
}

/**
 * The TC3 derived key: HMAC chain over the date, the service and `tc3_request`.
 *
 * @since 0.2.0
 * @category signing
 */
export const tc3SigningKey = (secretKey: string, date: string, service: string): Buffer =>
  hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request")

/**
 * Twilio's webhook signature: base64 HMAC-SHA1 (key: the auth token) of the
 * full URL followed by every POST parameter, sorted by name, as name + value.
 *
 * @since 0.2.0
 * @category signing
 */
export const twilioSignature = (authToken: string, url: string, params: Readonly<Record<string, string>>): string => {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k]!, url)
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64")
}

/**
 * Constant-time string comparison.
 *
 * @since 0.2.0
 * @category signing
 */
export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "utf8")
  const y = Buffer.from(b, "utf8")
  return x.length === y.length && timingSafeEqual(x, y)
}
