/**
 * Phone numbers: validation and normalisation to E.164 with
 * `libphonenumber-js`, and masking for logs.
 *
 * @since 0.2.0
 */
import { type CountryCode as LibCountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max"

/**
 * An ISO 3166 country code (`CN`, `HK`, `US`, ...) for reading national numbers.
 *
 * @since 0.2.0
 * @category phone numbers
 */
export type CountryCode = LibCountryCode

/**
 * The E.164 form of a mobile number (`+8613812341234`), or `undefined` when
 * the text is not a valid mobile number. National numbers are read in
 * `defaultCountry` (default `CN`).
 *
 * @since 0.2.0
 * @category phone numbers
 */
export const normalizeMobile = (raw: string, defaultCountry: CountryCode = "CN"): string | undefined => {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry)
  if (parsed === undefined || !parsed.isValid()) return undefined
  const type = parsed.getType()
  if (type !== undefined && type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") return undefined
  return parsed.number
}

/**
 * Masks an E.164 number for a log line: `+86 138****1234`.
 *
 * @since 0.2.0
 * @category phone numbers
 */
export const maskE164 = (e164: string): string => {
  const parsed = parsePhoneNumberFromString(e164)
  const national = parsed?.nationalNumber ?? e164.replace(/\D/g, "")
  const cc = parsed === undefined ? "" : `+${parsed.countryCallingCode} `
  if (national.length < 7) return `${cc}${"*".repeat(national.length)}`
  return `${cc}${national.slice(0, 3)}${"*".repeat(national.length - 7)}${national.slice(-4)}`
}

/**
 * The country calling code and national number of an E.164 number.
 *
 * @since 0.2.0
 * @category phone numbers
 */
export const splitE164 = (e164: string): { readonly countryCode: string; readonly national: string } => {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed === undefined
    ? { countryCode: "", national: e164.replace(/\D/g, "") }
    : { countryCode: parsed.countryCallingCode, national: parsed.nationalNumber }
}

