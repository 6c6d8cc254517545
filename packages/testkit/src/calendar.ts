/**
 * Calendar fixtures for tests: a hand-written official schedule of 2027 (NOT
 * the State Council's notice) with a make-up Saturday on 2027-01-09, so that
 * loading it moves exactly the working-day deadlines that span that day.
 *
 * @since 0.2.0
 */

/**
 * A hand-written 2027 schedule in the `OfficialYearFile` format: the
 * statutory days plus bridge days off, and make-up workdays on 2027-01-09
 * (Saturday), 02-20, 04-25 and 10-09. For tests only.
 *
 * @since 0.2.0
 * @category calendar
 */
export const handWritten2027Schedule = {
  format: "gongzhi.calendar-year/1",
  year: 2027,
  source: "hand-written test schedule (not the State Council's notice): 2027 with a make-up Saturday on 2027-01-09",
  holidays: [
    { date: "2027-01-01", name: { "zh-CN": "元旦", en: "New Year's Day" } },
    { date: "2027-01-02", name: { "zh-CN": "元旦", en: "New Year's Day" } },
    { date: "2027-01-03", name: { "zh-CN": "元旦", en: "New Year's Day" } },
    { date: "2027-02-05", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-06", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-07", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-08", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-09", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-10", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-11", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-02-12", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-04-05", name: { "zh-CN": "清明", en: "Tomb-sweeping Day" } },
    { date: "2027-05-01", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-05-02", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-05-03", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-05-04", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-05-05", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-06-09", name: { "zh-CN": "端午", en: "Dragon Boat Festival" } },
    { date: "2027-09-15", name: { "zh-CN": "中秋", en: "Mid-autumn Festival" } },
    { date: "2027-10-01", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-02", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-03", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-04", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-05", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-06", name: { "zh-CN": "国庆节", en: "National Day" } },
    { date: "2027-10-07", name: { "zh-CN": "国庆节", en: "National Day" } }
  ],
  workdays: [
    { date: "2027-01-09", name: { "zh-CN": "元旦", en: "New Year's Day" } },
    { date: "2027-02-20", name: { "zh-CN": "春节", en: "Spring Festival" } },
    { date: "2027-04-25", name: { "zh-CN": "劳动节", en: "Labour Day" } },
    { date: "2027-10-09", name: { "zh-CN": "国庆节", en: "National Day" } }
  ]
} as const
