/** Console helpers for the demo's narration. */
export const heading = (text: string): void => {
  console.log(`\n${text}\n${"=".repeat(Math.min(72, [...text].length * 2))}`)
}
export const line = (text: string): void => {
  console.log(`  ${text}`)
}
