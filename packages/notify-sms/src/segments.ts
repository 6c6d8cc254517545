/**
 * SMS length: how many parts a text is sent as.
 *
 * @since 0.2.0
 */

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXTENSION = "\f^{}\\[~]|€"
const basic = new Set(GSM_BASIC)
const extension = new Set(GSM_EXTENSION)

/**
 * A text's encoding, its length in the encoding's units (GSM-7 septets, an
 * extension character counting two; UTF-16 code units for UCS-2) and its
 * number of parts: GSM-7 160 in one message, 153 per part; UCS-2 (any
 * Chinese character) 70 in one message, 67 per part.
 *
 * @since 0.2.0
 * @category segments
 */
export interface SegmentCount {
  readonly encoding: "GSM-7" | "UCS-2"
  readonly units: number
  readonly segments: number
}

/**
 * Counts a text's parts.
 *
 * @since 0.2.0
 * @category segments
 */
export const countSegments = (text: string): SegmentCount => {
  let septets = 0
  let gsm = true
  for (const ch of text) {
    if (basic.has(ch)) septets += 1
    else if (extension.has(ch)) septets += 2
    else {
      gsm = false
      break
    }
  }
  if (gsm) return { encoding: "GSM-7", units: septets, segments: septets === 0 ? 1 : septets <= 160 ? 1 : Math.ceil(septets / 153) }
  const units = text.length
  return { encoding: "UCS-2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) }
}
